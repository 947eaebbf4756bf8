package io.rowcast.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared sender against a local server: the in-flight cap, retries, and giving up with a code. */
class HttpSenderTest {

    private HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failFirst;
    private ExecutorService pool;
    private RetryPolicy retry;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            int n = calls.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            int status = n <= failFirst ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private HttpSender sender(int concurrency, int attempts) {
        pool = Executors.newFixedThreadPool(concurrency);
        this.retry = new RetryPolicy(attempts, Duration.ofMillis(5), Duration.ofMillis(20));
        return new HttpSender("Test", HttpClient.newHttpClient(), pool, concurrency);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).GET().build();
    }

    @Test
    void neverHasMoreRequestsInFlightThanItsCap() {
        HttpSender sender = sender(3, 1);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(sender.send(request(), retry));
        }
        sent.forEach(CompletableFuture::join);

        assertThat(calls.get()).isEqualTo(12);
        assertThat(maxInFlight.get()).isBetween(2, 3);
    }

    /** The cap holds even on a pool that would run every task at once (Camel's virtual-thread setting makes one). */
    @Test
    void holdsItsCapOnAPoolWithoutOne() {
        pool = Executors.newCachedThreadPool();
        this.retry = new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(20));
        HttpSender sender = new HttpSender("Test", HttpClient.newHttpClient(), pool, 2);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(sender.send(request(), retry));
        }
        sent.forEach(CompletableFuture::join);

        assertThat(calls.get()).isEqualTo(10);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void retriesServerErrorsThenReturnsTheAnswer() {
        failFirst = 2;
        HttpResponse<String> response = sender(1, 3).send(request(), retry).join();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastStatusAsCode() {
        failFirst = 10;
        assertThatThrownBy(() -> sender(1, 3).send(request(), retry).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(RetriesExhaustedException.class)
                .hasMessageContaining("after 3 attempts")
                .satisfies(e -> assertThat(((RetriesExhaustedException) e).code()).isEqualTo("HTTP_503"));
        assertThat(calls.get()).isEqualTo(3);
    }

    /** A request asked of a sender whose pool has stopped is answered (never a future left hanging). */
    @Test
    void aStoppedSenderAnswersAtOnce() {
        HttpSender sender = sender(1, 1);
        sender.shutdown();
        assertThatThrownBy(() -> sender.send(request(), retry).get(5, java.util.concurrent.TimeUnit.SECONDS))
                .cause().isInstanceOf(RetriesExhaustedException.class)
                .satisfies(e -> assertThat(((RetriesExhaustedException) e).code()).isEqualTo("STOPPED"));
        assertThat(calls.get()).isZero();
    }

    @Test
    void aRefusedConnectionIsRetriedThenReportedAsConnection() {
        server.stop(0);
        assertThatThrownBy(() -> sender(1, 2).send(request(), retry).join())
                .cause().isInstanceOf(RetriesExhaustedException.class)
                .satisfies(e -> assertThat(((RetriesExhaustedException) e).code()).isEqualTo("CONNECTION"));
    }
}
