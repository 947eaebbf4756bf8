package io.rowcast.delivery;

import java.time.Duration;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The delivery options every HTTP destination endpoint shares: retries, back-off, time-out and concurrency. */
@UriParams
public class DeliveryOptions implements Cloneable {

    @UriParam(defaultValue = "5", description = "Requests in flight at once per account")
    private int maxConcurrentRequests = 5;
    @UriParam(defaultValue = "6", description = "Attempts per request on 429, 5xx, time-outs and connection errors")
    private int maxAttempts = 6;
    @UriParam(defaultValue = "500", description = "First back-off in milliseconds; doubles per retry, with jitter")
    private long initialBackoffMillis = 500;
    @UriParam(defaultValue = "60000", description = "Longest back-off in milliseconds")
    private long maxBackoffMillis = 60_000;
    @UriParam(defaultValue = "30000", description = "Time-out of one request in milliseconds")
    private long requestTimeoutMillis = 30_000;

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(initialBackoffMillis), Duration.ofMillis(maxBackoffMillis));
    }

    /**
     * Fails, naming the option, for values that cannot work: checked as the route starts, since each request
     * would fail on them instead, and every row be refused until dead.
     */
    public void validate(String destination) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(destination + ": maxAttempts must be at least 1 (1: no retry)");
        }
        if (requestTimeoutMillis < 1) {
            throw new IllegalArgumentException(destination + ": requestTimeoutMillis must be at least 1");
        }
        if (initialBackoffMillis < 0) {
            throw new IllegalArgumentException(destination + ": initialBackoffMillis must not be negative");
        }
        if (maxBackoffMillis < 0) {
            throw new IllegalArgumentException(destination + ": maxBackoffMillis must not be negative");
        }
    }

    /** A copy, so one endpoint's options never leak into another's. */
    @SuppressWarnings("unchecked")
    public <T extends DeliveryOptions> T copy() {
        try {
            return (T) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public int getMaxConcurrentRequests() { return maxConcurrentRequests; }
    public void setMaxConcurrentRequests(int maxConcurrentRequests) { this.maxConcurrentRequests = maxConcurrentRequests; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public long getInitialBackoffMillis() { return initialBackoffMillis; }
    public void setInitialBackoffMillis(long initialBackoffMillis) { this.initialBackoffMillis = initialBackoffMillis; }
    public long getMaxBackoffMillis() { return maxBackoffMillis; }
    public void setMaxBackoffMillis(long maxBackoffMillis) { this.maxBackoffMillis = maxBackoffMillis; }
    public long getRequestTimeoutMillis() { return requestTimeoutMillis; }
    public void setRequestTimeoutMillis(long requestTimeoutMillis) { this.requestTimeoutMillis = requestTimeoutMillis; }
}
