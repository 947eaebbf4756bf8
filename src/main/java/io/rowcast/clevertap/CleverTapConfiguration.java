package io.rowcast.clevertap;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of a {@code clevertap:} endpoint; unset ones come from the component (rowcast.destinations.clevertap.*). */
@UriParams
public class CleverTapConfiguration implements Cloneable {

    @UriParam(label = "security", description = "CleverTap project (account) id")
    @Metadata(required = true)
    private String accountId;
    @UriParam(label = "security", secret = true, description = "CleverTap passcode")
    @Metadata(required = true)
    private String passcode;
    @UriParam(defaultValue = "eu", description = "Region: eu, in1, sg1, us1, aps3 or mec1")
    private String region = "eu";
    @UriParam(label = "advanced", description = "Base URL overriding the region's (tests, sandbox, proxies)")
    private String baseUrl;
    @UriParam(defaultValue = "1000", description = "Records per request; CleverTap takes at most 1000")
    private int batchSize = 1000;
    @UriParam(defaultValue = "5", description = "Requests in flight at once per account; CleverTap allows 15")
    private int maxConcurrentRequests = 5;
    @UriParam(defaultValue = "6", description = "Attempts per request on 429, 5xx, time-outs and connection errors")
    private int maxAttempts = 6;
    @UriParam(defaultValue = "500", description = "First back-off in milliseconds; doubles per retry, with jitter")
    private long initialBackoffMillis = 500;
    @UriParam(defaultValue = "60000", description = "Longest back-off in milliseconds")
    private long maxBackoffMillis = 60_000;
    @UriParam(defaultValue = "30000", description = "Time-out of one request in milliseconds")
    private long requestTimeoutMillis = 30_000;

    public CleverTapConfiguration copy() {
        try {
            return (CleverTapConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getAccountId() { return accountId; }
    public void setAccountId(String accountId) { this.accountId = accountId; }
    public String getPasscode() { return passcode; }
    public void setPasscode(String passcode) { this.passcode = passcode; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
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

    @Override
    public String toString() {
        return "CleverTapConfiguration[accountId=" + accountId + ", region=" + region + ", passcode=****]";
    }
}
