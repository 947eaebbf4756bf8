package io.rowcast.clevertap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.rowcast.delivery.HttpSender;
import io.rowcast.delivery.Outcome;
import io.rowcast.mapping.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which records of an upload count as delivered, for each shape of CleverTap's 200 answer. */
class CleverTapOutcomesTest {

    private HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(1);
    private volatile String answer;
    private CleverTapClient client;

    private final List<JsonNode> records = List.of(Json.parse("{\"identity\":\"u1\",\"type\":\"profile\"}"),
            Json.parse("{\"identity\":\"u2\",\"type\":\"profile\"}"));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        CleverTapConfiguration config = new CleverTapConfiguration();
        config.setAccountId("ACC-1");
        config.setPasscode("secret");
        client = new CleverTapClient(() -> "http://127.0.0.1:" + server.getAddress().getPort(), config,
                new HttpSender("CleverTap", HttpClient.newHttpClient(), pool, 1));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private List<String> outcomes(String body) {
        answer = body;
        return client.upload(records).join().stream().map(o -> o.accepted() ? "accepted" : o.code()).toList();
    }

    @Test
    void successAcceptsEveryRecord() {
        assertThat(outcomes("{\"status\":\"success\",\"processed\":2,\"unprocessed\":[]}")).containsExactly("accepted", "accepted");
    }

    @Test
    void aNamedRefusalRejectsThatRecordOnly() {
        assertThat(outcomes("{\"status\":\"partial\",\"processed\":1,\"unprocessed\":[{\"status\":\"fail\",\"code\":523,"
                + "\"error\":\"Missing identity\",\"record\":{\"identity\":\"u2\",\"type\":\"profile\"}}]}"))
                .containsExactly("accepted", "523");
    }

    @Test
    void fewerProcessedThanNamedRefusalsExplainDeliversNothingUnnamed() {
        assertThat(outcomes("{\"status\":\"partial\",\"processed\":1,\"unprocessed\":[]}"))
                .containsExactly("UNATTRIBUTED", "UNATTRIBUTED");
    }

    /** Fail means nothing was processed: naming one refused record does not make the others delivered. */
    @Test
    void aFailNamingSomeRecordsDeliversNoneOfTheOthers() {
        assertThat(outcomes("{\"status\":\"fail\",\"unprocessed\":[{\"status\":\"fail\",\"code\":523,"
                + "\"error\":\"Missing identity\",\"record\":{\"identity\":\"u2\",\"type\":\"profile\"}}]}"))
                .containsExactly("UNATTRIBUTED", "523");
    }

    @Test
    void aFailWithoutDetailsDeliversNothing() {
        assertThat(outcomes("{\"status\":\"fail\"}")).containsExactly("UNATTRIBUTED", "UNATTRIBUTED");
        assertThat(client.upload(records).join()).allSatisfy(o -> assertThat(o.reason()).contains("status fail"));
    }
}
