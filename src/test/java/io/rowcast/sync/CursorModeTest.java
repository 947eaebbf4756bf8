package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.rowcast.testing.SyncTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Cursor mode on PostgreSQL: incremental reads, NULL cursors, the lookback window, and a cursor that never passes a failed row. */
class CursorModeTest extends SyncTestSupport {


    @BeforeEach
    void usage() throws Exception {
        warehouse.execute("DROP TABLE IF EXISTS usage");
        warehouse.execute("CREATE TABLE usage (event_id TEXT, customer_id TEXT, event_type TEXT, quantity BIGINT, occurred_at TIMESTAMP)");
        route("usage-cursor", "");
        route("usage-lookback", "lookback: 2h");
    }

    private void route(String id, String extra) throws Exception {
        startSync(id, "clevertap-usage-event.yaml",
                "query: SELECT event_id, customer_id, event_type, quantity, occurred_at FROM usage", "primaryKey: event_id",
                "mode: insert", "cursor: occurred_at", extra, "batchSize: 1");
    }

    private void event(String id, String customer, String at) {
        warehouse.update("INSERT INTO usage VALUES (?, ?, 'api_call', 1, CAST(? AS TIMESTAMP))", id, customer, at);
    }

    private String savedCursor(String syncId) {
        return state.cursors().cursor(syncId).map(io.rowcast.state.SyncCursors.SavedCursor::value).orElse(null);
    }

    private List<String> sent() {
        return sandbox.accepted().stream().map(r -> r.path("evtData").path("event_id").asText()).toList();
    }

    /** The cursor is saved in a destination's callback: a failure there fails the run, it is not lost in the callback. */
    @Test
    void aCursorTheStateStoreCannotSaveFailsTheRunSayingSo() throws Exception {
        startSync("usage-by-type", "clevertap-usage-event.yaml",
                "query: SELECT event_id, customer_id, event_type, quantity, occurred_at FROM usage", "primaryKey: event_id",
                "mode: insert", "cursor: event_type", "", "batchSize: 1");
        warehouse.update("INSERT INTO usage VALUES ('e1', 'c1', ?, 1, TIMESTAMP '2026-11-01 10:00:00')", "t".repeat(250));   // longer than it keeps

        RunRecord run = run("usage-by-type");

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("could not save the sync's progress after batch 1: the cursor's value is 250"
                + " characters; the state store keeps up to 200: choose a cursor column of timestamps or numbers");
        assertThat(savedCursor("usage-by-type")).isNull();
    }

    @Test
    void eachRunReadsOnlyFromTheSavedCursor() {
        event("e1", "c1", "2026-11-01 10:00:00");
        event("e2", "c1", "2026-11-01 11:00:00");
        event("e3", "c1", "2026-11-01 12:00:00");
        assertThat(run("usage-cursor").accepted()).isEqualTo(3);
        assertThat(savedCursor("usage-cursor")).isEqualTo("2026-11-01T12:00");

        event("e4", "c2", "2026-11-01 13:00:00");
        RunRecord second = run("usage-cursor");

        assertThat(second.rowsRead()).as("the row at the cursor and the new one").isEqualTo(2);
        assertThat(second.accepted()).isEqualTo(1);
        assertThat(sent()).as("batches fly concurrently: any order").containsExactlyInAnyOrder("e1", "e2", "e3", "e4");
        assertThat(savedCursor("usage-cursor")).isEqualTo("2026-11-01T13:00");
    }

    @Test
    void aLateRowBelowTheCursorIsMissedUnlessWithinTheLookback() {
        event("e1", "c1", "2026-11-01 10:00:00");
        event("e3", "c1", "2026-11-01 12:00:00");
        run("usage-cursor");
        run("usage-lookback");
        event("late", "c1", "2026-11-01 11:00:00");
        sandbox.reset();

        assertThat(run("usage-cursor").accepted()).as("below the cursor: not read").isZero();
        RunRecord withLookback = run("usage-lookback");

        assertThat(withLookback.accepted()).isEqualTo(1);
        assertThat(withLookback.count(RunCounter.UNCHANGED)).as("re-read rows (10:00 and 12:00) are skipped by key").isEqualTo(2);
        assertThat(sent()).containsExactly("late");
    }

    /**
     * A rejected late row within the lookback holds the cursor where it was: the run starts below the cursor,
     * and its first, already delivered rows end below it too, but the cursor never moves back.
     */
    @Test
    void aLookbackNeverMovesTheCursorBack() {
        event("e1", "c1", "2026-11-01 10:00:00");
        event("e3", "c1", "2026-11-01 12:00:00");
        run("usage-lookback");
        event("late", null, "2026-11-01 11:00:00");   // no customer: the mapping refuses it

        RunRecord run = run("usage-lookback");

        assertThat(run.rejected()).isEqualTo(1);
        assertThat(savedCursor("usage-lookback")).isEqualTo("2026-11-01T12:00");
        warehouse.update("UPDATE usage SET customer_id = 'c1' WHERE event_id = 'late'");
        assertThat(run("usage-lookback").accepted()).as("retried within the lookback").isEqualTo(1);
    }

    /**
     * PostgreSQL's 'infinity' sorts after every timestamp: a cursor saved there would never read another row.
     * Such rows are sent once, and the cursor stays at the last finite one.
     */
    @Test
    void anInfiniteTimestampIsNoCursorToContinueFrom() throws Exception {
        event("e1", "c1", "2026-11-01 10:00:00");
        event("forever", "c1", "infinity");
        event("never", "c1", "-infinity");
        startSync("usage-infinite", "clevertap-usage-event.yaml",
                "query: SELECT event_id, customer_id, event_type, quantity, COALESCE(CASE WHEN isfinite(occurred_at) THEN"
                        + " occurred_at END, TIMESTAMP '2026-01-01') AS occurred_at, occurred_at AS loaded_at FROM usage",
                "primaryKey: event_id", "mode: insert", "cursor: loaded_at", "lookback: 2h", "batchSize: 1");
        assertThat(run("usage-infinite").accepted()).isEqualTo(3);
        assertThat(savedCursor("usage-infinite")).isEqualTo("2026-11-01T10:00");
        event("e2", "c1", "2026-11-01 11:00:00");
        sandbox.reset();

        RunRecord next = run("usage-infinite");

        assertThat(next.status()).as(String.valueOf(next.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(sent()).containsExactly("e2");
        assertThat(savedCursor("usage-infinite")).isEqualTo("2026-11-01T11:00");
    }

    @Test
    void rowsWithANullCursorAreReportedEveryRun() {
        event("e1", "c1", "2026-11-01 10:00:00");
        warehouse.update("INSERT INTO usage VALUES ('no-time', 'c1', 'api_call', 1, NULL)");

        RunRecord run = run("usage-cursor");

        assertThat(run.count(RunCounter.NULL_CURSORS)).isEqualTo(1);
        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(new JdbcTemplate(stateDataSource).queryForObject("SELECT COUNT(*) FROM sync_row_rejection"
                + " WHERE sync_id = 'usage-cursor' AND code = 'NULL_CURSOR' AND row_key = 'no-time'", Integer.class)).isEqualTo(1);
        assertThat(run("usage-cursor").count(RunCounter.NULL_CURSORS)).isEqualTo(1);
    }

    @Test
    void theCursorNeverPassesARowThatWasNotAccepted() {
        event("e1", "c1", "2026-11-01 10:00:00");
        event("e2", null, "2026-11-01 11:00:00");
        event("e3", "c1", "2026-11-01 12:00:00");

        RunRecord first = run("usage-cursor");

        assertThat(first.accepted()).isEqualTo(2);
        assertThat(first.rejected()).isEqualTo(1);
        assertThat(savedCursor("usage-cursor")).as("stops before the rejected row").isEqualTo("2026-11-01T10:00");

        warehouse.update("UPDATE usage SET customer_id = 'c9' WHERE event_id = 'e2'");
        RunRecord second = run("usage-cursor");

        assertThat(second.accepted()).as("only the fixed row goes again").isEqualTo(1);
        assertThat(second.count(RunCounter.UNCHANGED)).isEqualTo(2);
        assertThat(savedCursor("usage-cursor")).isEqualTo("2026-11-01T12:00");
        assertThat(sent()).containsExactlyInAnyOrder("e1", "e3", "e2");
    }

    /** The driver names a BIGSERIAL column bigserial, which is no type to compare the saved cursor in. */
    @Test
    void aBigserialCursorIsComparedAsTheIntegerItIs() throws Exception {
        warehouse.execute("DROP TABLE IF EXISTS usage_log");
        warehouse.execute("CREATE TABLE usage_log (seq BIGSERIAL, event_id TEXT, customer_id TEXT, event_type TEXT,"
                + " quantity BIGINT, occurred_at TIMESTAMP)");
        startSync("usage-by-seq", "clevertap-usage-event.yaml", "query: SELECT seq, event_id, customer_id, event_type,"
                + " quantity, occurred_at FROM usage_log", "primaryKey: event_id", "mode: insert", "cursor: seq", "", "batchSize: 1");
        String insert = "INSERT INTO usage_log (event_id, customer_id, event_type, quantity, occurred_at)"
                + " VALUES (?, 'c1', 'api_call', 1, TIMESTAMP '2026-11-01 10:00:00')";
        warehouse.update(insert, "s1");
        warehouse.update(insert, "s2");
        assertThat(run("usage-by-seq").accepted()).isEqualTo(2);
        assertThat(savedCursor("usage-by-seq")).isEqualTo("2");

        warehouse.update(insert, "s3");
        RunRecord second = run("usage-by-seq");
        assertThat(second.status()).as(String.valueOf(second.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(second.rowsRead()).as("the row at the cursor and the new one").isEqualTo(2);
        assertThat(sent()).containsExactlyInAnyOrder("s1", "s2", "s3");
    }

    @Test
    void aDateCursorsLookbackIsWholeDaysRoundedUp() {
        java.time.LocalDate saved = java.time.LocalDate.of(2026, 11, 2);
        assertThat(SyncCursor.minus(saved, "12h")).as("part of a day reaches the day before").isEqualTo(saved.minusDays(1));
        assertThat(SyncCursor.minus(saved, "1d")).isEqualTo(saved.minusDays(1));
        assertThat(SyncCursor.minus(saved, "36h")).isEqualTo(saved.minusDays(2));
    }

    @Test
    void aCursorWithMirrorIsAConfigurationErrorThatStopsTheRouteFromStarting() throws Exception {
        io.rowcast.warehouse.WarehouseEndpoint endpoint = camel.getEndpoint(
                "warehouse:bad?query=SELECT 1&primaryKey=x&cursor=t&mode=mirror", io.rowcast.warehouse.WarehouseEndpoint.class);

        assertThat(endpoint.refused()).hasValueSatisfying(why -> assertThat(why).contains("cursor mode cannot see removed rows"));
        org.apache.camel.Consumer consumer = endpoint.createConsumer(exchange -> { });
        org.assertj.core.api.Assertions.assertThatThrownBy(consumer::start)
                .hasStackTraceContaining("cursor mode cannot see removed rows");
    }
}
