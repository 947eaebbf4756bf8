package io.rowcast.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests for one destination account with retries. Its pool has one thread per allowed
 * concurrent request, so the pool size is the account's in-flight cap; a request waiting out a
 * back-off keeps its slot, which is what a "too many concurrent requests" answer asks for. The cap is the
 * account's, shared by every route sending to it; how often to retry is each request's (its route's).
 */
public class HttpSender {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSender.class);

    private final String destination;
    private final HttpClient client;
    private final ExecutorService pool;
    private final int concurrency;
    private final java.util.concurrent.Semaphore slots;

    /** @param pool a pool of {@code concurrency} threads */
    public HttpSender(String destination, HttpClient client, ExecutorService pool, int concurrency) {
        this.destination = destination;
        this.client = client;
        this.pool = pool;
        this.concurrency = concurrency;
        this.slots = new java.util.concurrent.Semaphore(concurrency, true);
    }

    /** The account's in-flight cap. */
    public int concurrency() { return concurrency; }

    /** No route uses the account any more: its pool's threads go (requests under way finish first). */
    public void shutdown() { pool.shutdown(); }

    /**
     * Completes with the first non-retryable response, or exceptionally with {@link RetriesExhaustedException}
     * once {@code retry} gives up.
     */
    public CompletableFuture<HttpResponse<String>> send(HttpRequest request, RetryPolicy retry) {
        try {
            return CompletableFuture.supplyAsync(() -> sendWithRetries(request, retry), pool);
        } catch (java.util.concurrent.RejectedExecutionException refused) {
            // an answer, never a future left hanging: the pool is shut down (the route or the application stopping)
            return CompletableFuture.failedFuture(new RetriesExhaustedException(pool.isShutdown() ? "STOPPED" : "REFUSED",
                    destination + ": not sent, " + (pool.isShutdown() ? "delivery is stopping" : "the account's request pool"
                    + " refused it (" + refused.getMessage() + ")") + "; the rows stay pending and are sent again next run"));
        }
    }

    private HttpResponse<String> sendWithRetries(HttpRequest request, RetryPolicy retry) {
        // the pool's size is the cap; this holds it too should a pool run more (Camel's virtual-thread setting
        // turns a fixed pool into a thread per task)
        slots.acquireUninterruptibly();
        try {
            return sendHoldingASlot(request, retry);
        } finally {
            slots.release();
        }
    }

    private HttpResponse<String> sendHoldingASlot(HttpRequest request, RetryPolicy retry) {
        for (int attempt = 1; ; attempt++) {
            String code;
            String problem;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (!RetryPolicy.retryable(response.statusCode())) {
                    return response;
                }
                code = "HTTP_" + response.statusCode();
                problem = "HTTP " + response.statusCode();
                retryAfter = RetryPolicy.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null));
            } catch (HttpTimeoutException e) {
                code = "TIMEOUT";
                problem = "no answer within the request time-out";
            } catch (IOException e) {
                code = "CONNECTION";
                problem = "connection failed (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriesExhaustedException("INTERRUPTED", destination + ": delivery interrupted by shutdown");
            }
            if (attempt >= retry.maxAttempts()) {
                throw new RetriesExhaustedException(code, destination + " still failing after " + attempt
                        + " attempts, last: " + problem + "; the rows stay pending and are sent again next run");
            }
            Duration wait = retry.backoff(attempt, retryAfter);
            LOG.warn("{}: {} on attempt {} of {}; retrying in {} ms", destination, problem, attempt, retry.maxAttempts(), wait.toMillis());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriesExhaustedException("INTERRUPTED", destination + ": delivery interrupted by shutdown");
            }
        }
    }
}
