package io.rowcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.mapping.Json;
import io.rowcast.testing.SyncTestSupport;
import org.junit.jupiter.api.Test;

/** The service reports healthy and ready before any cron fire, and the sandbox is reachable over HTTP. */
class HealthTest extends SyncTestSupport {

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.parse(response.body());
    }

    @Test
    void readyBeforeTheFirstScheduledPoll() throws Exception {
        JsonNode health = get("/actuator/health");

        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("camelHealth").path("details").path("consumer:orders-to-clevertap").asText())
                .isNotEqualTo("DOWN");
        assertThat(get("/actuator/health/readiness").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void theSandboxShowsWhatItAccepted() throws Exception {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        runOrders();

        JsonNode records = get("/sandbox/clevertap/records");

        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("evtData").path("txnId").asText()).isEqualTo("T-1");
        assertThat(get("/sandbox/clevertap").path("accepted").asInt()).isEqualTo(1);
    }
}
