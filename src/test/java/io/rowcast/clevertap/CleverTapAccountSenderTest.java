package io.rowcast.clevertap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.rowcast.delivery.RetriesExhaustedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes sharing a CleverTap account share its in-flight cap, but each keeps its own retry options. */
class CleverTapAccountSenderTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        camel = new DefaultCamelContext();
        camel.addComponent("clevertap", new CleverTapComponent());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        server.stop(0);
    }

    private CleverTapEndpoint endpoint(String options) {
        return camel.getEndpoint("clevertap:upload?accountId=ACC-1&passcode=secret&initialBackoffMillis=1&maxBackoffMillis=2"
                + "&baseUrl=http://127.0.0.1:" + server.getAddress().getPort() + "&" + options, CleverTapEndpoint.class);
    }

    private int attemptsOfOneUpload(CleverTapEndpoint endpoint) {
        int before = requests.get();
        assertThatThrownBy(() -> endpoint.client().upload(List.of(JsonNodeFactory.instance.objectNode())).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RetriesExhaustedException.class);
        return requests.get() - before;
    }

    @Test
    void eachRouteOfAnAccountRetriesAsItsOwnOptionsSay() {
        CleverTapEndpoint twice = endpoint("maxAttempts=2");
        CleverTapEndpoint fiveTimes = endpoint("maxAttempts=5");

        assertThat(attemptsOfOneUpload(twice)).isEqualTo(2);
        assertThat(attemptsOfOneUpload(fiveTimes)).isEqualTo(5);
        assertThat(attemptsOfOneUpload(twice)).isEqualTo(2);
    }

    /** Requests beyond the cap wait their turn: none is refused, none runs beside the cap's. */
    @Test
    void moreUploadsThanTheCapAllWaitTheirTurn() {
        CleverTapEndpoint endpoint = endpoint("maxConcurrentRequests=2&maxAttempts=1");
        List<java.util.concurrent.CompletableFuture<List<io.rowcast.delivery.Outcome>>> uploads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            uploads.add(endpoint.client().upload(List.of(JsonNodeFactory.instance.objectNode())));
        }
        for (var upload : uploads) {
            assertThatThrownBy(upload::join).hasCauseInstanceOf(RetriesExhaustedException.class)
                    .satisfies(e -> assertThat(((RetriesExhaustedException) e.getCause()).code()).as("sent and answered 503")
                            .isEqualTo("HTTP_503"));
        }
        assertThat(requests.get()).isEqualTo(8);
    }

    @Test
    void twoCapsForOneAccountAreRefusedWithWhatToDo() {
        endpoint("maxConcurrentRequests=3").client();

        assertThatThrownBy(() -> endpoint("maxConcurrentRequests=7").client())
                .hasMessageContaining("maxConcurrentRequests=7").hasMessageContaining("the 3 another running route")
                .hasMessageContaining("rowcast.destinations.clevertap.max-concurrent-requests")
                .hasMessageNotContaining("secret");
        assertThat(endpoint("maxConcurrentRequests=3").client()).as("the same cap is fine").isNotNull();
    }

    @Test
    void onceNoRouteOfTheAccountRunsItsCapCanChange() throws Exception {
        CleverTapEndpoint first = endpoint("maxConcurrentRequests=3");
        first.start();
        first.client();
        first.stop();

        CleverTapEndpoint changed = endpoint("maxConcurrentRequests=7");
        assertThat(changed.client()).as("the route restarted with another cap").isNotNull();
        assertThat(attemptsOfOneUpload(endpoint("maxConcurrentRequests=7&maxAttempts=1"))).isEqualTo(1);
    }
}
