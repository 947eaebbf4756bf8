package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowcast.testing.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger and the operations as users reach them over HTTP: JSON bodies, 400, 404 and 409. */
class SyncHttpApiTest extends SyncTestSupport {

    private static final String SYNC = "people-over-http";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void peopleSync() throws Exception {
        warehouse.execute("DROP TABLE IF EXISTS http_people");
        warehouse.execute("CREATE TABLE http_people (user_id TEXT, name TEXT, email TEXT, phone TEXT, country TEXT, plan TEXT)");
        startSync(SYNC, "clevertap-profile.yaml",
                "query: SELECT user_id, name, email, phone, country, plan FROM http_people", "primaryKey: user_id",
                "mode: mirror", "maxRowAttempts: 2", "batchSize: 2");
    }

    private void person(String id, String phone) {
        warehouse.update("INSERT INTO http_people VALUES (?, ?, ?, ?, 'GB', 'pro')", id, "P-" + id, id + "@example.com", phone);
    }

    private record Answer(int status, JsonNode body) { }

    private Answer call(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private Answer rows(String status) throws Exception {
        return call("GET", "/syncs/" + SYNC + "/rows?status=" + status);
    }

    @Test
    void aRejectedRowFromFirstFailureToDeadToRevivedAndAccepted() throws Exception {
        person("u1", "0044-no-plus");   // the sandbox refuses it, as CleverTap does (516: invalid phone)
        person("u2", "+442");

        Answer first = call("POST", "/syncs/" + SYNC + "/runs");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("status").asText()).isEqualTo("partial");
        assertThat(first.body().path("accepted").asLong()).isEqualTo(1);
        assertThat(first.body().path("rejected").asLong()).isEqualTo(1);
        assertThat(first.body().path("plannedAdded").asLong()).isEqualTo(2);

        JsonNode failed = rows("failed").body();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("key").asText()).isEqualTo("u1");
        assertThat(failed.get(0).path("status").asText()).isEqualTo("rejected");
        assertThat(failed.get(0).path("code").asText()).isEqualTo("516");
        assertThat(failed.get(0).path("error").asText()).isNotBlank();
        assertThat(failed.get(0).path("attempts").asInt()).isEqualTo(1);

        call("POST", "/syncs/" + SYNC + "/runs");
        JsonNode dead = rows("dead").body();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).path("key").asText()).isEqualTo("u1");
        assertThat(dead.get(0).path("attempts").asInt()).isEqualTo(2);
        assertThat(rows("failed").body()).as("failed lists dead rows too").hasSize(1);
        assertThat(rows("rejected").body()).isEmpty();

        Answer revived = call("POST", "/syncs/" + SYNC + "/retry-dead");
        assertThat(revived.status()).isEqualTo(200);
        assertThat(revived.body().path("revived").asInt()).isEqualTo(1);
        warehouse.update("UPDATE http_people SET phone = '+441' WHERE user_id = 'u1'");
        Answer fixed = call("POST", "/syncs/" + SYNC + "/runs");
        assertThat(fixed.body().path("status").asText()).isEqualTo("success");
        assertThat(fixed.body().path("accepted").asLong()).isEqualTo(1);
        assertThat(rows("failed").body()).isEmpty();
        assertThat(rows("delivered").body()).extracting(r -> r.path("key").asText()).containsExactly("u1", "u2");

        JsonNode runs = call("GET", "/syncs/" + SYNC + "/runs?limit=2").body();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("runId").asLong()).as("newest first").isGreaterThan(runs.get(1).path("runId").asLong());
        assertThat(runs.get(0).path("status").asText()).isEqualTo("success");
        assertThat(runs.get(1).path("newlyDead").asLong()).as("the run in which u1 ran out of attempts").isEqualTo(1);
    }

    @Test
    void deletedRowsResetAndResync() throws Exception {
        person("u1", "+441");
        person("u2", "+442");
        call("POST", "/syncs/" + SYNC + "/runs");
        warehouse.update("DELETE FROM http_people WHERE user_id = 'u2'");

        Answer mirror = call("POST", "/syncs/" + SYNC + "/runs");
        assertThat(mirror.body().path("succeededRemoved").asLong()).isEqualTo(1);
        assertThat(rows("deleted").body()).extracting(r -> r.path("key").asText()).containsExactly("u2");
        assertThat(sandbox.deleted()).containsExactly("u2");

        person("u3", "+443");
        int requests = sandbox.requests();
        Answer reset = call("POST", "/syncs/" + SYNC + "/reset");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(sandbox.requests()).as("reset adopts rows without sending them").isEqualTo(requests);
        assertThat(rows("delivered").body()).extracting(r -> r.path("key").asText()).containsExactly("u1", "u3");

        sandbox.reset();
        Answer resync = call("POST", "/syncs/" + SYNC + "/resync");
        assertThat(resync.status()).isEqualTo(200);
        assertThat(resync.body().path("plannedChanged").asLong()).as("a mirror's resync keeps its rows: sent again as changed")
                .isEqualTo(2);
        assertThat(resync.body().path("plannedRemoved").asLong()).as("u2, deleted before, stays deleted").isZero();
        assertThat(sandbox.accepted()).extracting(r -> r.path("identity").asText()).containsExactlyInAnyOrder("u1", "u3");
    }

    @Test
    void whyRowsWereRefusedInARunIncludingDuplicateKeys() throws Exception {
        person("u1", "+441");
        person("u1", "+449");   // the model returns u1 twice
        person("u2", "0044-no-plus");
        person("u3", "+443");
        long runId = call("POST", "/syncs/" + SYNC + "/runs").body().path("runId").asLong();
        call("POST", "/syncs/" + SYNC + "/runs");   // a later run refuses them again

        JsonNode latest = call("GET", "/syncs/" + SYNC + "/rejections").body();
        assertThat(latest).extracting(r -> r.path("key").asText() + " " + r.path("code").asText())
                .containsExactly("u1 DUPLICATE_PRIMARY_KEY", "u1 DUPLICATE_PRIMARY_KEY", "u2 516");
        assertThat(latest.get(0).path("runId").asLong()).as("the latest run").isGreaterThan(runId);
        assertThat(latest.get(0).path("reason").asText()).contains("more than one row with primary key u1");

        JsonNode first = call("GET", "/syncs/" + SYNC + "/rejections?run=" + runId + "&limit=1").body();
        assertThat(first).singleElement().satisfies(r -> assertThat(r.path("runId").asLong()).isEqualTo(runId));
    }

    /** A sync that is down (stopped, or failing to start) still shows its history: that is when it is wanted. */
    @Test
    void theHistoryOfAStoppedSyncIsStillServed() throws Exception {
        person("u1", "+441");
        call("POST", "/syncs/" + SYNC + "/runs");
        camel.getRouteController().stopRoute(SYNC);
        try {
            Answer runs = call("GET", "/syncs/" + SYNC + "/runs");
            assertThat(runs.status()).isEqualTo(200);
            assertThat(runs.body()).hasSize(1);
            assertThat(rows("delivered").body()).extracting(r -> r.path("key").asText()).containsExactly("u1");
        } finally {
            camel.getRouteController().startRoute(SYNC);
        }
    }

    @Test
    void clearErrorsForAnUnknownSyncAnUnknownStatusAndARunInProgress() throws Exception {
        Answer unknown = call("GET", "/syncs/no-such-sync/runs");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").asText()).contains("no-such-sync");

        Answer noRows = call("GET", "/syncs/" + SYNC + "/runs?limit=0");
        assertThat(noRows.status()).isEqualTo(400);
        assertThat(noRows.body().path("error").asText()).isEqualTo("limit must be 1 or more, not 0");
        Answer notANumber = call("GET", "/syncs/" + SYNC + "/rejections?run=latest");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body().path("error").asText()).isEqualTo("parameter 'run' must be a long, not 'latest'");

        Answer badStatus = rows("broken");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.body().path("error").asText()).contains("unknown status 'broken'").contains("dead").contains("deleted");

        state.lease().tryLock(SYNC, "another-process", java.time.Duration.ofSeconds(60));
        try {
            for (String operation : new String[] {"runs", "resync", "reset", "retry-dead"}) {
                Answer busy = call("POST", "/syncs/" + SYNC + "/" + operation);
                assertThat(busy.status()).as(operation).isEqualTo(409);
                assertThat(busy.body().path("error").asText()).contains("already in progress");
            }
        } finally {
            state.lease().unlock(SYNC, "another-process");
        }
        assertThat(call("POST", "/syncs/" + SYNC + "/runs").status()).isEqualTo(200);
    }
}
