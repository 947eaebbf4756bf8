package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.rowcast.testing.SyncTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With rowcast.api-token set, the operations need it; reading the ledger does not. */
@TestPropertySource(properties = "rowcast.api-token=op-token-42")
class ApiTokenTest extends SyncTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void operationsNeedTheTokenAndReadingDoesNot() throws Exception {
        HttpResponse<String> without = call("POST", "/syncs/" + ORDERS_SYNC + "/reset", null);
        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(without.body()).contains("Authorization: Bearer").doesNotContain("op-token-42");
        assertThat(call("POST", "/syncs/" + ORDERS_SYNC + "/runs", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(state.ledger().runs(ORDERS_SYNC, 10)).as("nothing ran").isEmpty();

        assertThat(call("POST", "/syncs/" + ORDERS_SYNC + "/runs", "Bearer op-token-42").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/syncs/" + ORDERS_SYNC + "/runs", null).statusCode()).isEqualTo(200);
    }
}
