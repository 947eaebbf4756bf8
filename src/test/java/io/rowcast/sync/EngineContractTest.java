package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.config.DataSourcesConfig;
import io.rowcast.config.RowcastProperties;
import io.rowcast.delivery.Outcome;
import io.rowcast.state.StateStore;
import io.rowcast.sync.SyncMode.RemovedRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Both change-detection engines, local and in-warehouse, against a real warehouse (DuckDB and PostgreSQL,
 * see the subclasses) with the embedded H2 state store: added, changed and removed rows, flip-flops,
 * modes, rejections through death and revival, duplicate and NULL keys, and what leaves the warehouse.
 */
abstract class EngineContractTest {

    /** A fresh, empty warehouse. */
    abstract HikariDataSource warehouse(Path dir);

    @TempDir Path dir;
    private HikariDataSource duckdb;   // the warehouse under test
    private HikariDataSource h2;
    StateStore state;
    JdbcTemplate sql;
    final List<String> delivered = new ArrayList<>();
    /** Every row handed to the destination in the last run, accepted or not (recordsSent counts mapped records, and
     * these tests map none). */
    final List<String> dispatched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The columns of every row handed to the destination in the last run (what its mapping could read). */
    private final Set<String> columnsSent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Rows the destination refuses; it runs while the batch is being delivered, before the batch commits. */
    Predicate<BatchItem> refuse = item -> false;
    /** Rows the destination gives no answer for (as after a 503 on every retry). */
    Predicate<BatchItem> unanswer = item -> false;
    /** How many batches of a run the destination answers before it fails every later one fatally (a 401, say); -1: never. */
    int fatalAfter = -1;

    @BeforeEach
    void open() {
        RowcastProperties props = new RowcastProperties();
        props.setDataDir(dir.toString());
        DataSourcesConfig config = new DataSourcesConfig();
        duckdb = warehouse(dir);
        h2 = config.stateDataSource(props);
        // a state image from the first run on, never retaken: later runs read its base plus their batches' parts
        state = new StateStore(h2, 1, 1_000_000);
        state.migrate();
        sql = new JdbcTemplate(duckdb);
        sql.execute("DROP TABLE IF EXISTS people");
        sql.execute("DROP SCHEMA IF EXISTS rowcast CASCADE");
        sql.execute("CREATE TABLE people (id INTEGER, region VARCHAR(10), name VARCHAR(50), score DECIMAL(10,2))");
    }

    @AfterEach
    void close() {
        duckdb.close();
        h2.close();
    }

    private RunRecord run(boolean warehouseEngine, SyncMode mode) {
        return run(settings("people", "SELECT id, region, name, score FROM people", "id, region", mode, warehouseEngine));
    }

    RunRecord run(SyncSettings settings) {
        return run(settings, duckdb);
    }

    RunRecord run(SyncSettings settings, javax.sql.DataSource warehouse) {
        return run(settings, warehouse, () -> true);
    }

    /** A run told by {@code held} whether it still holds the sync's lease. */
    RunRecord run(SyncSettings settings, javax.sql.DataSource warehouse, java.util.function.BooleanSupplier held) {
        delivered.clear();
        dispatched.clear();
        columnsSent.clear();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        return new SyncRun(settings, warehouse, state, (batch, done) -> {
            if (fatalAfter >= 0 && answered.getAndIncrement() >= fatalAfter) {
                done.accept(new io.rowcast.delivery.FatalDeliveryException("refused by the test: fatal"));
                return;
            }
            batches.add(batch.items().size());
            for (BatchItem item : batch.items()) {
                dispatched.add(item.key() + ":" + item.change().value());
                columnsSent.addAll(item.row().keySet());
                if (unanswer.test(item)) {
                    item.unanswered("HTTP_503", "no answer in the test");
                } else if (refuse.test(item)) {
                    item.reject("TEST", "refused by the test");
                } else {
                    item.settle(Outcome.accept());
                    delivered.add(item.key() + ":" + item.change().value());
                }
            }
            done.accept(null);
        }, "mapping", false).whileHolding(held).execute();
    }

    /** A reset: the model's rows adopted as delivered, nothing sent. */
    RunRecord reset(SyncSettings settings) {
        return reset(settings, Integer.MAX_VALUE);
    }

    /** A reset that fails (as a process stopping would) after adopting {@code batches} batches. */
    RunRecord reset(SyncSettings settings, int batches) {
        dispatched.clear();
        java.util.concurrent.atomic.AtomicInteger adopted = new java.util.concurrent.atomic.AtomicInteger();
        return new SyncRun(settings, duckdb, state, (batch, done) -> {
            if (adopted.getAndIncrement() >= batches) {
                done.accept(new io.rowcast.delivery.FatalDeliveryException("stopped by the test"));
                return;
            }
            batch.items().forEach(item -> item.settle(Outcome.accept()));
            done.accept(null);
        }, "mapping", true).execute();
    }

    /**
     * With a PostgreSQL state store the snapshot keeps where the ledger keeps each row, and a commit updates the
     * ledger row there: without sync_row's key index (and the snapshot's, where the warehouse can drop it) only
     * updates in place can commit the changed rows.
     */
    @org.junit.jupiter.api.Test
    void theSnapshotKeepsWhereAPostgresLedgerKeepsEachRow() {
        withPostgresLedger(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "_state", ledgerSql -> {
            sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
            SyncSettings upsert = settings("people", "SELECT id, region, name, score FROM people", "id, region", SyncMode.UPSERT, true);
            run(upsert);
            assertThat(snapshotLedgerPositions()).hasSize(2).isEqualTo(ledgerPositions(ledgerSql));

            sql.update("UPDATE people SET score = score + 1");
            ledgerSql.execute("ALTER TABLE sync_row DROP CONSTRAINT sync_row_pkey");
            try {
                withoutSnapshotKey(() -> assertThat(sent(run(upsert))).hasSize(2));
            } finally {
                ledgerSql.execute("ALTER TABLE sync_row ADD PRIMARY KEY (sync_id, row_key)");
            }
            assertThat(snapshotLedgerPositions()).isEqualTo(ledgerPositions(ledgerSql));
            assertThat(sent(run(upsert))).isEmpty();
        });
    }

    /**
     * A planned changed row's positions are kept until its batch commits; a rejected row's must go then too, or
     * a run whose every changed row is refused (a broken mapping, after a mapping change made every row changed)
     * would hold one entry per row of the model.
     */
    @org.junit.jupiter.api.Test
    void aRejectedRowsPositionsAreForgottenWithItsBatch() throws Exception {
        WarehouseSnapshot snapshot = new WarehouseSnapshot(duckdb, "people");
        snapshot.ensure("SELECT id FROM people", List.of("id"));
        snapshot.planned("1", Map.of(WarehouseSnapshot.ROW_ID, "(0,1)", WarehouseSnapshot.LEDGER_AT, "(0,2)"));
        snapshot.planned("2", Map.of(WarehouseSnapshot.ROW_ID, "(0,3)", WarehouseSnapshot.LEDGER_AT, "(0,4)"));
        assertThat(snapshot.ledgerPosition("1")).isEqualTo("(0,2)");
        BatchItem refused = new BatchItem("1", Map.of(), Change.CHANGED, 7);
        refused.reject("TEST", "refused by the test");
        long runId = state.ledger().startRun("people", "upsert", "warehouse", java.time.Instant.now());
        BatchCommitter committer = new BatchCommitter(settings("people", "SELECT id FROM people", "id", SyncMode.UPSERT, true),
                state, new RunCounts(), message -> { throw new AssertionError(message); }, runId, snapshot, false);

        assertThat(committer.complete(new Batch("people", runId, 1, List.of(refused)), null)).isFalse();

        assertThat(snapshot.ledgerPosition("1")).isNull();
        assertThat(snapshot.ledgerPosition("2")).as("a row of a batch still in flight").isEqualTo("(0,4)");
    }

    /** With the duplicate check off, a batch may hold a key twice: refusing both must not fail the batch's commit. */
    @org.junit.jupiter.api.Test
    void aKeyRefusedTwiceInOneBatchIsOneLedgerRowAndOneAttempt() {
        withPostgresLedger(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "_twice", ledgerSql -> {
            sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (1, 'eu', 'Ada twin', 1.50)");
            refuse = item -> true;
            SyncSettings unchecked = new SyncSettings("people", "SELECT id, region, name, score FROM people", "id, region",
                    SyncMode.UPSERT, RemovedRows.IGNORE, 2, 2, 100, 3, false, null, null, false);

            RunRecord run = run(unchecked);

            assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunStatus.PARTIAL);
            assertThat(run.rejected()).isEqualTo(2);
            assertThat(state.rows("people", List.of("rejected"), 10)).singleElement()
                    .satisfies(row -> assertThat(row.attempts()).isEqualTo(1));
            assertThat(ledgerSql.queryForObject("SELECT COUNT(*) FROM sync_row_rejection", Integer.class))
                    .as("both refusals are in the history").isEqualTo(2);
        });
    }

    /** Runs {@code run} while the snapshot of sync people has no key index, where the warehouse can drop one. */
    void withoutSnapshotKey(Runnable run) {
        run.run();
    }

    /** Runs {@code test} with a PostgreSQL state store (database {@code database}, emptied) in place of the H2 one. */
    void withPostgresLedger(String database, java.util.function.Consumer<JdbcTemplate> test) {
        try (HikariDataSource ledger = io.rowcast.testing.TestStateStores.dataSource("postgres", dir, database)) {
            state = new StateStore(ledger);
            state.migrate();
            JdbcTemplate ledgerSql = new JdbcTemplate(ledger);
            ledgerSql.execute("TRUNCATE sync_row, sync_run, sync_lock, sync_row_rejection, sync_row_image");
            test.accept(ledgerSql);
        }
    }

    /** Where the snapshot of sync people says the ledger keeps each row, by key. */
    Map<String, String> snapshotLedgerPositions() {
        Map<String, String> at = new java.util.HashMap<>();
        sql.query("SELECT id, region, rowcast_ledger_at FROM rowcast.snapshot_people",
                rs -> { at.put("[\"" + rs.getInt(1) + "\",\"" + rs.getString(2) + "\"]", rs.getString(3)); });
        return at;
    }

    /** Where a PostgreSQL ledger keeps each row, by key. */
    static Map<String, String> ledgerPositions(JdbcTemplate ledger) {
        Map<String, String> at = new java.util.HashMap<>();
        ledger.query("SELECT row_key, CAST(ctid AS text) FROM sync_row", rs -> { at.put(rs.getString(1), rs.getString(2)); });
        return at;
    }

    /** A sync of batches of 2, 2 in flight, up to 3 attempts a row, with the duplicate check. */
    static SyncSettings settings(String id, String query, String key, SyncMode mode, boolean warehouseEngine) {
        return new SyncSettings(id, query, key, mode, RemovedRows.IGNORE, 2, 2, 100, 3, true, null, null, warehouseEngine);
    }

    /** As {@link #settings}, in cursor mode on {@code cursor}. */
    static SyncSettings byCursor(String id, String query, String key, SyncMode mode, String cursor) {
        return new SyncSettings(id, query, key, mode, RemovedRows.IGNORE, 2, 2, 100, 3, true, cursor, null, false);
    }

    /** Ada and Grace in the model, delivered by a first run of the given engine and mode. */
    void adaAndGraceDelivered(boolean warehouseEngine, SyncMode mode) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        run(warehouseEngine, mode);
    }

    /** The rows the run handed to the destination; the run must have succeeded. */
    List<String> sent(RunRecord run) {
        assertThat(run.status()).as(String.valueOf(run.error())).isIn(RunStatus.SUCCESS, RunStatus.PARTIAL);
        return List.copyOf(dispatched);
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void upsertPlansAddedChangedAndRemovedRows(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00), (3, 'us', 'Alan', 3.25)");
        RunRecord first = run(warehouseEngine, SyncMode.UPSERT);
        assertThat(first.count(RunCounter.SUCCEEDED_ADDED)).isEqualTo(3);
        assertThat(delivered).containsExactlyInAnyOrder("[\"1\",\"eu\"]:added", "[\"2\",\"eu\"]:added", "[\"3\",\"us\"]:added");

        sql.update("UPDATE people SET score = 9.99 WHERE id = 1");
        sql.update("DELETE FROM people WHERE id = 3");
        sql.update("INSERT INTO people VALUES (4, 'us', 'Hedy', 0.10)");
        RunRecord second = run(warehouseEngine, SyncMode.UPSERT);

        assertThat(second.count(RunCounter.PLANNED_ADDED)).isEqualTo(1);
        assertThat(second.count(RunCounter.PLANNED_CHANGED)).isEqualTo(1);
        assertThat(second.count(RunCounter.REMOVED))
                .as("the warehouse engine looks for rows that left the model only when the mode deletes them")
                .isEqualTo(warehouseEngine ? 0 : 1);
        assertThat(delivered).containsExactlyInAnyOrder("[\"1\",\"eu\"]:changed", "[\"4\",\"us\"]:added");
        if (warehouseEngine) {
            assertThat(second.rowsRead()).as("unchanged rows stay in the warehouse").isEqualTo(2);
            assertThat(sql.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'rowcast'",
                    String.class)).as("the run's diff table went with its transaction")
                    .containsExactlyInAnyOrder("snapshot_people", "owners", "complete_snapshots");
        } else {
            assertThat(second.count(RunCounter.UNCHANGED)).isEqualTo(1);
        }

        sql.update("UPDATE people SET score = 1.50 WHERE id = 1");
        assertThat(run(warehouseEngine, SyncMode.UPSERT).count(RunCounter.PLANNED_CHANGED)).as("flipping back").isEqualTo(1);
        assertThat(run(warehouseEngine, SyncMode.UPSERT).count(RunCounter.PLANNED_CHANGED)).as("then unchanged").isZero();
        assertThat(delivered).isEmpty();
    }

    /**
     * A passthrough mapping names its fields after the model's columns, so renaming one changes every record.
     * The warehouse's row hash covers values, not names: the warehouse engine compares the names with those its
     * snapshot was fingerprinted with (an existing snapshot without them, as after an upgrade, just records them).
     */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aRenamedModelColumnSendsEveryRowAgain(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.UPSERT);
        new JdbcTemplate(h2).update("DELETE FROM sync_snapshot_columns");   // as a snapshot kept by an earlier Rowcast
        assertThat(sent(run(warehouseEngine, SyncMode.UPSERT))).as("names recorded, nothing sent").isEmpty();

        SyncSettings renamed = settings("people", "SELECT id, region, name AS full_name, score FROM people", "id, region",
                SyncMode.UPSERT, warehouseEngine);
        assertThat(sent(run(renamed))).containsExactlyInAnyOrder("[\"1\",\"eu\"]:changed", "[\"2\",\"eu\"]:changed");
        assertThat(sent(run(renamed))).as("once").isEmpty();
    }

    /**
     * The new names are recorded once a run settles: recorded by a run that failed, they were lost with a snapshot
     * refilled from the state store (a warehouse failover), whose fingerprints do not cover names either.
     */
    /**
     * A rename's re-send cut short by a failure goes on from where it was, also through a snapshot refilled from
     * the state store: rows sent under the new names are not sent again, the others are.
     */
    @org.junit.jupiter.api.Test
    void aRenamesResendCutShortGoesOnFromWhereItWas() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00), (3, 'us', 'Alan', 3.25),"
                + " (4, 'us', 'Hedy', 4.00)");
        run(true, SyncMode.UPSERT);
        SyncSettings renamed = new SyncSettings("people", "SELECT id, region, name AS full_name, score FROM people",
                "id, region", SyncMode.UPSERT, RemovedRows.IGNORE, 2, 1, 100, 3, true, null, null, true);
        fatalAfter = 1;   // one batch of two rows, then the destination fails
        RunRecord cut = run(renamed);
        assertThat(cut.status()).isEqualTo(RunStatus.FAILED);
        assertThat(delivered).hasSize(2);
        List<String> resent = List.copyOf(delivered);
        fatalAfter = -1;
        sql.execute("DELETE FROM rowcast.snapshot_people");   // and a failover empties the unlogged snapshot

        RunRecord rest = run(renamed);
        assertThat(sent(rest)).hasSize(2).doesNotContainAnyElementsOf(resent);
        assertThat(sent(run(renamed))).as("all sent").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aRenameIsStillSentAfterAFailedRunAndARefilledSnapshot() {
        adaAndGraceDelivered(true, SyncMode.UPSERT);
        SyncSettings renamed = settings("people", "SELECT id, region, name AS full_name, score FROM people", "id, region",
                SyncMode.UPSERT, true);
        fatalAfter = 0;
        assertThat(run(renamed).status()).isEqualTo(RunStatus.FAILED);
        fatalAfter = -1;
        sql.execute("DELETE FROM rowcast.snapshot_people");   // what a failover does to the unlogged snapshot

        assertThat(sent(run(renamed))).containsExactlyInAnyOrder("[\"1\",\"eu\"]:changed", "[\"2\",\"eu\"]:changed");
        assertThat(sent(run(renamed))).as("once").isEmpty();
    }

    /** Bringing the snapshot in line reads the sync's ledger rows: only after a run that may have left it behind. */
    @org.junit.jupiter.api.Test
    void onlyAFailedRunThatCommittedSomethingOrWasCutShortCallsForBringingTheSnapshotInLine() {
        adaAndGraceDelivered(true, SyncMode.UPSERT);
        sql.update("UPDATE people SET name = 'Ada L' WHERE id = 1");
        fatalAfter = 0;
        assertThat(run(true, SyncMode.UPSERT).status()).isEqualTo(RunStatus.FAILED);
        fatalAfter = -1;
        assertThat(state.ledger().unsettledSince("people", Long.MAX_VALUE)).as("it committed nothing").isEmpty();

        state.ledger().startRun("people", "upsert", null, java.time.Instant.now());
        state.ledger().abandonRuns("people");   // as the next run finds a run whose process stopped
        assertThat(state.ledger().unsettledSince("people", Long.MAX_VALUE)).as("cut short: what it committed is not known")
                .isPresent();
        assertThat(sent(run(true, SyncMode.UPSERT))).containsExactly("[\"1\",\"eu\"]:changed");
        assertThat(state.ledger().unsettledSince("people", Long.MAX_VALUE)).as("settled").isEmpty();
    }

    /**
     * An insert sync sends no changes, so a changed row is never committed to the snapshot: compared by
     * fingerprint, it came out of every later diff (and, after a mapping edit, every row did, run after run).
     */
    @org.junit.jupiter.api.Test
    void anInsertSyncsDiffLeavesChangedRowsInTheWarehouse() {
        adaAndGraceDelivered(true, SyncMode.INSERT);
        sql.update("UPDATE people SET name = 'Ada L' WHERE id = 1");
        sql.update("INSERT INTO people VALUES (3, 'us', 'Alan', 3.25)");

        RunRecord next = run(true, SyncMode.INSERT);
        assertThat(sent(next)).containsExactly("[\"3\",\"us\"]:added");
        assertThat(next.rowsRead()).as("only the added row leaves the warehouse").isEqualTo(1);
        assertThat(run(true, SyncMode.INSERT).rowsRead()).as("and then nothing").isZero();
    }

    /**
     * A batch commits to the ledger, then to the warehouse snapshot. A run whose process stopped in between left
     * the snapshot behind: a row changed and then changed back looked unchanged for good (its newer version
     * stayed at the destination), a deleted row that came back was never sent, and a refused change that went
     * back was never retried. The next run brings the snapshot in line with the ledger first.
     */
    @org.junit.jupiter.api.Test
    void aSnapshotLeftBehindTheLedgerByAStoppedRunIsBroughtInLineBeforeTheNextDiff() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00), (3, 'us', 'Alan', 3.25)");
        assertThat(run(true, SyncMode.MIRROR).accepted()).isEqualTo(3);
        Map<Integer, Long> before = new java.util.HashMap<>();
        sql.query("SELECT id, rowcast_fp FROM rowcast.snapshot_people", rs -> {
            before.put(rs.getInt(1), rs.getLong(2));
        });
        sql.update("UPDATE people SET name = 'Ada L' WHERE id = 1");
        sql.update("DELETE FROM people WHERE id = 2");
        sql.update("UPDATE people SET name = 'Alan T' WHERE id = 3");
        sql.update("INSERT INTO people VALUES (4, 'us', 'Edsger', 4.00)");
        refuse = item -> item.key().contains("\"3\"") || item.key().contains("\"4\"");
        RunRecord cut = run(true, SyncMode.MIRROR);
        assertThat(cut.accepted()).isEqualTo(2);
        assertThat(cut.rejected()).isEqualTo(2);
        // as if its process had stopped after the ledger's commits and before the snapshot's
        sql.update("DELETE FROM rowcast.snapshot_people");
        before.forEach((id, fp) -> sql.update("INSERT INTO rowcast.snapshot_people (id, region, rowcast_fp) VALUES (?, ?, ?)",
                id, id == 3 ? "us" : "eu", fp));
        new JdbcTemplate(h2).update("UPDATE sync_run SET status = 'failed' WHERE run_id = ?", cut.runId());
        refuse = item -> false;

        // each back to what the snapshot still holds
        sql.update("UPDATE people SET name = 'Ada' WHERE id = 1");
        sql.update("INSERT INTO people VALUES (2, 'eu', 'Grace', 2.00)");
        sql.update("UPDATE people SET name = 'Alan' WHERE id = 3");
        // never delivered (its add was refused): gone from the model, nothing to delete
        sql.update("DELETE FROM people WHERE id = 4");
        assertThat(sent(run(true, SyncMode.MIRROR))).containsExactlyInAnyOrder(
                "[\"1\",\"eu\"]:changed", "[\"2\",\"eu\"]:added", "[\"3\",\"us\"]:changed");
        assertThat(sent(run(true, SyncMode.MIRROR))).as("in line again: nothing to send").isEmpty();
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void mirrorSendsRemovedRowsAsDeletesOnceAndAComebackAsAnAdd(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.MIRROR);
        sql.update("DELETE FROM people WHERE id = 2");

        RunRecord removal = run(warehouseEngine, SyncMode.MIRROR);

        assertThat(removal.count(RunCounter.REMOVED)).isEqualTo(1);
        assertThat(removal.count(RunCounter.PLANNED_REMOVED)).isEqualTo(1);
        assertThat(removal.count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(1);
        assertThat(delivered).as("both engines name a composite key alike").containsExactly("[\"2\",\"eu\"]:removed");
        assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.PLANNED_REMOVED)).as("deleted once").isZero();

        sql.update("INSERT INTO people VALUES (2, 'eu', 'Grace', 2.00)");
        assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.PLANNED_ADDED)).as("back again").isEqualTo(1);
        assertThat(sent(run(warehouseEngine, SyncMode.MIRROR))).isEmpty();
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aModelEndingInASemicolonOrACommentIsReadAsWritten(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        for (String model : List.of("SELECT id, region, name, score FROM people;\n", "SELECT id, region, name, score FROM people -- all of them")) {
            RunRecord run = run(settings("people", model, "id, region", SyncMode.UPSERT, warehouseEngine));
            assertThat(run.error()).as(model).isNull();
            assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        }
        assertThat(state.ledger().runs("people", 5)).hasSize(2);
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void anEmptiedModelDeletesEveryRowBatchByBatch(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00), (3, 'us', 'Alan', 3.25),"
                + " (4, 'us', 'Hedy', 0.10), (5, 'eu', 'Joan', 4.00)");
        run(warehouseEngine, SyncMode.MIRROR);
        sql.update("DELETE FROM people");
        batches.clear();

        RunRecord removal = run(warehouseEngine, SyncMode.MIRROR);

        assertThat(removal.count(RunCounter.PLANNED_REMOVED)).isEqualTo(5);
        assertThat(removal.count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(5);
        assertThat(batches).as("batches of 2, as the route says").containsExactlyInAnyOrder(2, 2, 1);
        assertThat(sent(run(warehouseEngine, SyncMode.MIRROR))).as("deleted once").isEmpty();
    }

    /** A batch the state store could not record is neither accepted nor rejected: unsent, and sent with the next run. */
    @org.junit.jupiter.api.Test
    void aBatchWhoseCommitFailedIsCountedUnsentNotAccepted() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        JdbcTemplate store = new JdbcTemplate(h2);
        java.util.concurrent.atomic.AtomicBoolean moved = new java.util.concurrent.atomic.AtomicBoolean();
        refuse = item -> {
            if (!moved.getAndSet(true)) {
                store.execute("ALTER TABLE sync_row RENAME TO sync_row_away");   // the batch's commit fails
            }
            return false;
        };
        RunRecord failed;
        try {
            failed = run(false, SyncMode.UPSERT);
        } finally {
            store.execute("ALTER TABLE sync_row_away RENAME TO sync_row");
            refuse = item -> false;
        }

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.accepted()).isZero();
        assertThat(failed.count(RunCounter.SUCCEEDED_ADDED)).isZero();
        assertThat(failed.count(RunCounter.UNSENT)).isEqualTo(2);
        assertThat(sent(run(false, SyncMode.UPSERT))).as("sent again").containsExactlyInAnyOrder("[\"1\",\"eu\"]:added",
                "[\"2\",\"eu\"]:added");
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void allSendsEveryRowEveryRun(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        assertThat(run(warehouseEngine, SyncMode.ALL).accepted()).isEqualTo(2);
        RunRecord again = run(warehouseEngine, SyncMode.ALL);
        assertThat(again.accepted()).as("again, unchanged").isEqualTo(2);
        assertThat(again.count(RunCounter.PLANNED_CHANGED)).isEqualTo(2);
        assertThat(again.count(RunCounter.UNCHANGED)).as("sent, so not also counted as unchanged (skipped)").isZero();
        assertThat(again.count(RunCounter.ROWS_SKIPPED)).isZero();
    }

    @org.junit.jupiter.api.Test
    void cursorModeReadsFromTheSavedCursorAndReportsNullCursors() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00), (3, 'us', 'Alan', NULL)");
        SyncSettings byScore = byCursor("people", "SELECT id, region, name, score FROM people", "id, region", SyncMode.INSERT,
                "score");
        RunRecord first = run(byScore);
        assertThat(first.accepted()).isEqualTo(2);
        assertThat(first.count(RunCounter.NULL_CURSORS)).isEqualTo(1);
        assertThat(state.cursors().cursor("people")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("2.00"));

        sql.update("INSERT INTO people VALUES (4, 'us', 'Hedy', 3.00)");
        RunRecord second = run(byScore);
        assertThat(second.rowsRead()).as("from the saved cursor on").isEqualTo(2);
        assertThat(delivered).containsExactly("[\"4\",\"us\"]:added");
    }

    /**
     * A run that lost the sync's lease (stalled past it) still records what its batches delivered, but saves no
     * cursor: another process may hold the lease now, and have saved a cursor further on.
     */
    @org.junit.jupiter.api.Test
    void aRunThatLostItsLeaseSavesNoCursor() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        SyncSettings byScore = byCursor("people", "SELECT id, region, name, score FROM people", "id, region", SyncMode.INSERT,
                "score");

        RunRecord run = run(byScore, duckdb, () -> false);

        assertThat(run.accepted()).isEqualTo(2);
        assertThat(state.cursors().cursor("people")).isEmpty();
        assertThat(run(byScore).accepted()).as("its rows are known delivered").isZero();
        assertThat(state.cursors().cursor("people")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("2.00"));
    }

    /** NaN and infinities sort last but are no place to continue from: never saved as the cursor. */
    @org.junit.jupiter.api.Test
    void aNaNOrInfiniteCursorIsNeverSavedAndAnOldSavedOneIsForgotten() {
        sql.execute("DROP TABLE IF EXISTS readings");
        sql.execute("CREATE TABLE readings (id INTEGER, v FLOAT8)");
        sql.update("INSERT INTO readings VALUES (1, 1.5), (2, CAST('NaN' AS FLOAT8)), (3, CAST('Infinity' AS FLOAT8))");
        SyncSettings byValue = byCursor("readings", "SELECT id, v FROM readings", "id", SyncMode.UPSERT, "v");
        assertThat(run(byValue).accepted()).isEqualTo(3);
        assertThat(state.cursors().cursor("readings")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("1.5"));

        RunRecord again = run(byValue);
        assertThat(again.status()).as(String.valueOf(again.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(again.rowsRead()).as("from 1.5 on, NaN and Infinity included").isEqualTo(3);
        assertThat(dispatched).as("read again, not sent again").isEmpty();

        sql.update("INSERT INTO readings VALUES (4, 2.5)");
        assertThat(sent(run(byValue))).containsExactly("4:added");
        assertThat(state.cursors().cursor("readings")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("2.5"));

        state.cursors().saveCursor("readings", "NaN", "number");   // as an earlier Rowcast could leave it
        RunRecord recovered = run(byValue);
        assertThat(recovered.status()).as(String.valueOf(recovered.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(recovered.rowsRead()).as("every row read once more").isEqualTo(4);
        assertThat(state.cursors().cursor("readings")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("2.5"));
    }

    /**
     * A double's shortest text can have an exponent (1.712E9): saved so, it read back as a number DuckDB's driver
     * could not bind, and every later run failed. A REAL saved as 0.7 was compared as the numeric 0.7, above the
     * column's 0.7, so a row arriving at the saved cursor was never read.
     */
    @org.junit.jupiter.api.Test
    void floatingPointCursorsAreSavedAsPlainNumbersAndComparedInTheColumnsType() {
        sql.execute("DROP TABLE IF EXISTS readings");
        sql.execute("CREATE TABLE readings (id INTEGER, at_s DOUBLE PRECISION, level REAL)");
        sql.update("INSERT INTO readings VALUES (1, 1712000000, 0.5), (2, 1712000000, 0.7)");
        SyncSettings byTime = byCursor("by_time", "SELECT id, at_s, level FROM readings", "id", SyncMode.INSERT, "at_s");
        SyncSettings byLevel = byCursor("by_level", "SELECT id, at_s, level FROM readings", "id", SyncMode.INSERT, "level");
        assertThat(sent(run(byTime))).containsExactlyInAnyOrder("1:added", "2:added");
        assertThat(sent(run(byLevel))).containsExactlyInAnyOrder("1:added", "2:added");
        assertThat(state.cursors().cursor("by_time")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("1712000000"));
        assertThat(state.cursors().cursor("by_level")).hasValueSatisfying(c -> assertThat(c.value()).isEqualTo("0.7"));

        sql.update("INSERT INTO readings VALUES (3, 1712000000, 0.7)");   // late, at both saved cursors
        for (SyncSettings settings : List.of(byTime, byLevel)) {
            RunRecord again = run(settings);
            assertThat(again.status()).as(settings.cursor() + ": " + again.error()).isEqualTo(RunStatus.SUCCESS);
            assertThat(sent(again)).as(settings.cursor()).containsExactly("3:added");
        }

        state.cursors().saveCursor("by_time", "1.712E9", "number");   // as an earlier Rowcast saved it
        RunRecord recovered = run(byTime);
        assertThat(recovered.status()).as(String.valueOf(recovered.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(recovered.rowsRead()).as("the rows at the saved cursor").isEqualTo(3);
    }

    /**
     * A cursor read back as text (a time of day, a uuid) is compared in the column's own type: bound as
     * text, PostgreSQL has no {@code time >= varchar}, and every run after the first failed.
     */
    @org.junit.jupiter.api.Test
    void cursorModeOnColumnsReadAsTextComparesInTheColumnsType() {
        sql.execute("CREATE TABLE pings (id INTEGER, seen TIME, tag UUID)");
        sql.update("INSERT INTO pings VALUES (1, TIME '09:00:00', '00000000-0000-0000-0000-00000000000a'),"
                + " (2, TIME '10:00:00.5', '00000000-0000-0000-0000-00000000000b')");
        for (String column : List.of("seen", "tag")) {
            SyncSettings byColumn = byCursor("pings_" + column, "SELECT id, seen, tag FROM pings", "id", SyncMode.INSERT, column);
            assertThat(sent(run(byColumn))).as(column).containsExactlyInAnyOrder("1:added", "2:added");
            assertThat(sent(run(byColumn))).as(column + ": nothing new past the saved cursor").isEmpty();
        }
        sql.update("INSERT INTO pings VALUES (3, TIME '11:00:00', '00000000-0000-0000-0000-00000000000c')");
        for (String column : List.of("seen", "tag")) {
            SyncSettings byColumn = byCursor("pings_" + column, "SELECT id, seen, tag FROM pings", "id", SyncMode.INSERT, column);
            RunRecord third = run(byColumn);
            assertThat(sent(third)).as(column).containsExactly("3:added");
            assertThat(third.rowsRead()).as(column + ": read from the saved cursor on").isEqualTo(2);
        }
    }

    /** The warehouse engine's diff adds a fingerprint and the snapshot's key; a mapping copying every column must not see them. */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void rowsReachTheDestinationWithTheModelsColumnsOnly(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.UPSERT);
        assertThat(columnsSent).as("added rows").containsExactlyInAnyOrder("id", "region", "name", "score");
        sql.update("UPDATE people SET score = 9.99 WHERE id = 2");
        assertThat(sent(run(warehouseEngine, SyncMode.UPSERT))).containsExactly("[\"2\",\"eu\"]:changed");
        assertThat(columnsSent).as("changed rows").containsExactlyInAnyOrder("id", "region", "name", "score");
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void insertAndUpdateModesFilterTheChanges(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50)");
        run(warehouseEngine, SyncMode.INSERT);
        sql.update("UPDATE people SET name = 'Ada L.' WHERE id = 1");
        sql.update("INSERT INTO people VALUES (2, 'eu', 'Grace', 2.00)");

        assertThat(run(warehouseEngine, SyncMode.UPDATE).count(RunCounter.PLANNED_CHANGED)).isEqualTo(1);
        assertThat(delivered).containsExactly("[\"1\",\"eu\"]:changed");
        assertThat(run(warehouseEngine, SyncMode.INSERT).count(RunCounter.PLANNED_ADDED)).isEqualTo(1);
        assertThat(delivered).containsExactly("[\"2\",\"eu\"]:added");
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aRejectedRowIsRetriedThenDeadThenSkipped(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        refuse = item -> item.key().contains("\"2\"");
        for (int i = 0; i < 3; i++) {
            assertThat(run(warehouseEngine, SyncMode.UPSERT).rejected()).isEqualTo(1);
        }
        RunRecord afterDeath = run(warehouseEngine, SyncMode.UPSERT);
        assertThat(afterDeath.count(RunCounter.DEAD)).isEqualTo(1);
        assertThat(dispatched).isEmpty();

        refuse = item -> false;
        state.reviveDead("people");
        assertThat(run(warehouseEngine, SyncMode.UPSERT).accepted()).isEqualTo(1);
        assertThat(sent(run(warehouseEngine, SyncMode.UPSERT))).isEmpty();
    }

    /** Every row to send refused until {@code dead} rows are dead (three attempts), then a reset of people. */
    private RunRecord deadThenReset(boolean warehouseEngine, SyncMode mode, int dead) {
        refuse = item -> true;
        for (int i = 0; i < 3; i++) {
            run(warehouseEngine, mode);
        }
        assertThat(state.rows("people", List.of("dead"), 10)).hasSize(dead);
        refuse = item -> false;
        return reset(settings("people", "SELECT id, region, name, score FROM people", "id, region", mode, warehouseEngine));
    }

    /** Reset takes the destination as it is: dead rows and dead deletes are adopted too, not left dead. */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void resetAdoptsDeadRowsAndDeadDeletes(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.MIRROR);
        sql.update("UPDATE people SET score = 9.99 WHERE id = 1");
        sql.update("DELETE FROM people WHERE id = 2");

        RunRecord reset = deadThenReset(warehouseEngine, SyncMode.MIRROR, 2);

        assertThat(reset.status()).as(String.valueOf(reset.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(reset.count(RunCounter.DEAD)).isZero();
        assertThat(reset.count(RunCounter.PLANNED_CHANGED)).as("Ada: a version of her was delivered").isEqualTo(1);
        assertThat(state.rows("people", List.of("dead", "rejected"), 10)).isEmpty();
        assertThat(sent(run(warehouseEngine, SyncMode.MIRROR))).as("in step: nothing to send").isEmpty();
    }

    /** A dead row never delivered is adopted by a reset as added, not changed: the ledger's history says what happened. */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void resetAdoptsADeadRowNeverDeliveredAsAdded(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50)");

        RunRecord reset = deadThenReset(warehouseEngine, SyncMode.UPSERT, 1);

        assertThat(reset.count(RunCounter.PLANNED_ADDED)).isEqualTo(1);
        assertThat(reset.count(RunCounter.PLANNED_CHANGED)).isZero();
        assertThat(state.rows("people", List.of("delivered"), 10)).singleElement()
                .satisfies(row -> assertThat(row.operation()).isEqualTo("added"));
    }

    /**
     * {@code n} codes ('u-1', 1...) delivered keyed by their text, then the sync keyed by their number instead:
     * the ledger's keys no longer cast to the key's type. Returns the sync keyed by number.
     */
    private SyncSettings codesDeliveredByCodeThenKeyedByNumber(int n) {
        sql.execute("DROP TABLE IF EXISTS codes");
        sql.execute("CREATE TABLE codes (code VARCHAR(10), n INTEGER)");
        for (int i = 1; i <= n; i++) {
            sql.update("INSERT INTO codes VALUES (?, ?)", "u-" + i, i);
        }
        assertThat(run(settings("codes", "SELECT code AS k, n FROM codes", "k", SyncMode.UPSERT, true)).accepted()).isEqualTo(n);
        return settings("codes", "SELECT n AS k, code FROM codes", "k", SyncMode.UPSERT, true);
    }

    /**
     * The model's key became another type: the snapshot is made anew and the ledger's keys cannot be cast to
     * fill it. The run says to reset, and reset then works: it fills the snapshot from the model.
     */
    @org.junit.jupiter.api.Test
    void aSnapshotThatCannotBeRestoredIsResetFromTheModel() {
        SyncSettings byNumber = codesDeliveredByCodeThenKeyedByNumber(2);
        RunRecord failed = run(byNumber);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains("Run `reset`");

        RunRecord reset = reset(byNumber);

        assertThat(reset.status()).as(String.valueOf(reset.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(reset.count(RunCounter.PLANNED_ADDED)).isEqualTo(2);
        assertThat(sent(run(byNumber))).as("adopted: nothing to send").isEmpty();
        assertThat(state.rows("codes", List.of("delivered"), 10)).extracting(StateStore.RowState::key)
                .as("the old keys are forgotten").containsExactlyInAnyOrder("1", "2");
        sql.execute("TRUNCATE rowcast.snapshot_codes");   // a warehouse restart empties the unlogged snapshot
        RunRecord restored = run(byNumber);
        assertThat(restored.status()).as("restored, not failing as before the reset: " + restored.error())
                .isEqualTo(RunStatus.SUCCESS);
        assertThat(dispatched).isEmpty();
    }

    /**
     * A reset filling the snapshot from the model that is cut short leaves part of the model in it: the next run
     * must not take the rest for added (sending what the destination has), but restore, and, failing as before
     * the reset, ask for one again.
     */
    @org.junit.jupiter.api.Test
    void aResetFromTheModelCutShortIsNotTakenForAWholeSnapshot() {
        SyncSettings byNumber = codesDeliveredByCodeThenKeyedByNumber(6);
        assertThat(run(byNumber).status()).isEqualTo(RunStatus.FAILED);
        assertThat(reset(byNumber, 1).status()).isEqualTo(RunStatus.FAILED);

        RunRecord next = run(byNumber);

        assertThat(dispatched).as("nothing the destination has is sent").isEmpty();
        assertThat(next.status()).isEqualTo(RunStatus.FAILED);
        assertThat(next.error()).contains("Run `reset`");
        assertThat(reset(byNumber).status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sent(run(byNumber))).isEmpty();
    }

    /** Resync of a sync that deletes marks delivered rows RESYNC; a refused row keeps its own reason. */
    @org.junit.jupiter.api.Test
    void markingRowsForAResyncKeepsTheReasonsOfRefusedOnes() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        refuse = item -> item.key().contains("\"2\"");
        run(false, SyncMode.MIRROR);

        assertThat(state.markForResend("people")).isEqualTo(2);

        assertThat(state.rejectedRows("people")).extracting(StateStore.RowState::key, StateStore.RowState::code)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("[\"1\",\"eu\"]", "RESYNC"),
                        org.assertj.core.groups.Tuple.tuple("[\"2\",\"eu\"]", "TEST"));
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aRefusedChangeIsSentAgainAfterTheRowWentBackToWhatWasDelivered(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.UPSERT);
        sql.update("UPDATE people SET score = 9.99 WHERE id = 2");
        refuse = item -> item.key().contains("\"2\"");
        assertThat(run(warehouseEngine, SyncMode.UPSERT).rejected()).isEqualTo(1);
        refuse = item -> false;
        sql.update("UPDATE people SET score = 2.00 WHERE id = 2");   // as last delivered, but the ledger says rejected

        RunRecord retried = run(warehouseEngine, SyncMode.UPSERT);

        assertThat(delivered).containsExactly("[\"2\",\"eu\"]:changed");
        assertThat(retried.accepted()).isEqualTo(1);
        assertThat(state.rejectedRows("people")).isEmpty();
        assertThat(sent(run(warehouseEngine, SyncMode.UPSERT))).as("then in step").isEmpty();
    }

    /**
     * A crash of the warehouse during a run empties its unlogged tables; the run's batches still in flight then
     * commit their rows into the empty snapshot. It is not empty at the next run, but not whole either: it is
     * restored from the ledger all the same, so nothing already delivered is sent again.
     */
    @org.junit.jupiter.api.Test
    void aSnapshotEmptiedByACrashAndThenWrittenByBatchesInFlightIsRestored() {
        adaAndGraceDelivered(true, SyncMode.MIRROR);
        sql.execute("CREATE TABLE kept AS SELECT * FROM rowcast.snapshot_people WHERE id = 1");
        sql.execute("TRUNCATE rowcast.snapshot_people");   // the crash, for every unlogged table
        try {
            sql.execute("TRUNCATE rowcast.complete_snapshots");
        } catch (org.springframework.dao.DataAccessException none) {
            // (no such table)
        }
        sql.execute("INSERT INTO rowcast.snapshot_people SELECT * FROM kept");   // a batch committing after the restart
        sql.execute("DROP TABLE kept");

        RunRecord next = run(true, SyncMode.MIRROR);

        assertThat(sent(next)).as("Grace was delivered").isEmpty();
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM rowcast.snapshot_people", Long.class)).isEqualTo(2);
        sql.update("DELETE FROM people WHERE id = 2");
        run(true, SyncMode.MIRROR);
        assertThat(delivered).as("and her delete still goes").containsExactly("[\"2\",\"eu\"]:removed");
    }

    @org.junit.jupiter.api.Test
    void aSnapshotRestoredAfterARefusedChangeStillSendsItAgain() {
        adaAndGraceDelivered(true, SyncMode.UPSERT);
        sql.update("UPDATE people SET score = 9.99 WHERE id = 2");
        refuse = item -> item.key().contains("\"2\"");
        assertThat(run(true, SyncMode.UPSERT).rejected()).isEqualTo(1);
        refuse = item -> false;
        sql.execute("TRUNCATE rowcast.snapshot_people");   // a crash or failover of the warehouse
        sql.update("UPDATE people SET score = 2.00 WHERE id = 2");

        run(true, SyncMode.UPSERT);

        assertThat(delivered).containsExactly("[\"2\",\"eu\"]:changed");
        assertThat(state.rejectedRows("people")).isEmpty();
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aRefusedDeleteWhoseRowCameBackIsSentAgain(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.MIRROR);
        sql.update("DELETE FROM people WHERE id = 2");
        refuse = item -> item.change() == Change.REMOVED;
        assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.FAILED_REMOVED)).isEqualTo(1);
        refuse = item -> false;
        sql.update("INSERT INTO people VALUES (2, 'eu', 'Grace', 2.00)");

        run(warehouseEngine, SyncMode.MIRROR);

        assertThat(delivered).as("the ledger's rejected row is settled").containsExactly("[\"2\",\"eu\"]:changed");
        assertThat(state.rejectedRows("people")).isEmpty();
        assertThat(sent(run(warehouseEngine, SyncMode.MIRROR))).isEmpty();
    }

    /** A mirror sync: Grace's change refused twice (two attempts of three), then Grace leaves the model. */
    private void graceChangeRefusedTwiceThenGone(boolean warehouseEngine) {
        adaAndGraceDelivered(warehouseEngine, SyncMode.MIRROR);
        sql.update("UPDATE people SET score = 9.99 WHERE id = 2");
        refuse = item -> item.key().contains("\"2\"");
        for (int i = 0; i < 2; i++) {
            assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.FAILED_CHANGED)).isEqualTo(1);
        }
        sql.update("DELETE FROM people WHERE id = 2");
    }

    /** Attempts count refusals of what is pending now: a delete does not inherit the refused changes before it. */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aDeleteAfterRefusedChangesHasAnAttemptBudgetOfItsOwn(boolean warehouseEngine) {
        graceChangeRefusedTwiceThenGone(warehouseEngine);

        assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.FAILED_REMOVED)).isEqualTo(1);

        assertThat(state.rejectedRows("people")).singleElement().satisfies(row -> {
            assertThat(row.status()).as("one refused delete of three allowed").isEqualTo("rejected");
            assertThat(row.operation()).isEqualTo("removed");
            assertThat(row.attempts()).isEqualTo(1);
        });
        refuse = item -> false;
        assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(1);
    }

    /** The same when the first try of the delete got no answer: the delete's budget still starts afresh. */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aDeleteWithoutAnAnswerAfterRefusedChangesStillHasItsOwnBudget(boolean warehouseEngine) {
        graceChangeRefusedTwiceThenGone(warehouseEngine);
        unanswer = item -> true;
        run(warehouseEngine, SyncMode.MIRROR);
        unanswer = item -> false;

        assertThat(run(warehouseEngine, SyncMode.MIRROR).count(RunCounter.FAILED_REMOVED)).isEqualTo(1);

        assertThat(state.rejectedRows("people")).singleElement().satisfies(row -> {
            assertThat(row.status()).as("one refused delete of three allowed").isEqualTo("rejected");
            assertThat(row.attempts()).isEqualTo(1);
        });
    }

    @org.junit.jupiter.api.Test
    void twoSyncsWhoseIdsMakeOneSnapshotNameAreRefusedByName() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50)");
        String query = "SELECT id, region, name, score FROM people";
        assertThat(sent(run(settings("people-eu", query, "id", SyncMode.UPSERT, true)))).hasSize(1);

        RunRecord clash = run(settings("People_EU", query, "id", SyncMode.UPSERT, true));

        assertThat(clash.status()).isEqualTo(RunStatus.FAILED);
        assertThat(clash.error()).contains("sync 'People_EU' would share the warehouse snapshot rowcast.snapshot_people_eu"
                + " with sync 'people-eu'").contains("rename one of the two routes");
        assertThat(dispatched).isEmpty();
        sql.update("INSERT INTO people VALUES (2, 'eu', 'Grace', 2.00)");
        assertThat(sent(run(settings("people-eu", query, "id", SyncMode.UPSERT, true)))).as("the owner is unharmed").hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void syncIdsAlikeInTheirFirst63CharactersKeepSnapshotsOfTheirOwn() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50)");
        String query = "SELECT id, region, name, score FROM people";
        String stem = "customers-of-the-european-region-to-the-marketing-platform-nightly-";
        assertThat(sent(run(settings(stem + "a", query, "id", SyncMode.UPSERT, true)))).hasSize(1);
        assertThat(sent(run(settings(stem + "b", query, "id", SyncMode.UPSERT, true)))).as("its own first run").hasSize(1);
        assertThat(sent(run(settings(stem + "a", query, "id", SyncMode.UPSERT, true)))).isEmpty();
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'rowcast'"
                + " AND table_name LIKE 'snapshot_customers%'", Integer.class)).isEqualTo(2);
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aKeyTooLongForTheLedgerIsRefusedAndTheRestDelivered(boolean warehouseEngine) {
        sql.execute("DROP TABLE IF EXISTS notes");
        sql.execute("CREATE TABLE notes (k VARCHAR(2000), v INTEGER)");
        sql.update("INSERT INTO notes VALUES (?, 1), ('short', 2)", "x".repeat(1200));
        SyncSettings upsert = settings("notes", "SELECT k, v FROM notes", "k", SyncMode.UPSERT, warehouseEngine);

        RunRecord run = run(upsert);

        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunStatus.PARTIAL);
        assertThat(delivered).containsExactly("short:added");
        assertThat(run.rejected()).isEqualTo(1);
        assertThat(new JdbcTemplate(h2).queryForList("SELECT row_key, code, reason FROM sync_row_rejection WHERE sync_id = 'notes'"
                + " AND run_id = ?", run.runId())).singleElement().satisfies(r -> {
            assertThat(r.get("CODE")).isEqualTo("KEY_TOO_LONG");
            assertThat((String) r.get("REASON")).contains("1200 characters");
            assertThat((String) r.get("ROW_KEY")).startsWith("xxxx").endsWith("(cut)");
        });
        assertThat(run(upsert).rejected()).as("refused again next run, the other row in step").isEqualTo(1);
        assertThat(delivered).isEmpty();

        // the same key with a NULL cursor: recorded (cut), not a failed run
        sql.update("INSERT INTO notes VALUES (?, NULL)", "y".repeat(1200));
        RunRecord byCursor = run(byCursor("notes", "SELECT k, v FROM notes", "k", SyncMode.INSERT, "v"));
        assertThat(byCursor.status()).as(String.valueOf(byCursor.error())).isEqualTo(RunStatus.PARTIAL);
        assertThat(byCursor.count(RunCounter.NULL_CURSORS)).isEqualTo(1);
        assertThat(new JdbcTemplate(h2).queryForList("SELECT row_key FROM sync_row_rejection WHERE sync_id = 'notes'"
                + " AND run_id = ? AND code = 'NULL_CURSOR'", byCursor.runId())).singleElement()
                .satisfies(r -> assertThat((String) r.get("ROW_KEY")).startsWith("yyyy").endsWith("(cut)"));
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void duplicateAndNullKeysAreRefused(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (1, 'eu', 'Ada twin', 1.50), (NULL, 'eu', 'x', 0), (2, 'us', 'G', 1)");

        RunRecord run = run(warehouseEngine, SyncMode.UPSERT);

        assertThat(run.count(RunCounter.DUPLICATES)).isEqualTo(2);
        assertThat(run.count(RunCounter.NULL_KEYS)).isEqualTo(1);
        assertThat(delivered).containsExactly("[\"2\",\"us\"]:added");
    }

    /**
     * Keys the warehouse finds equal but writes differently (PostgreSQL's numeric 1.0 and 1.00, a case-insensitive
     * collation) are one group to its GROUP BY, which gave back one text: only the row written that way was
     * refused, its twin sent.
     */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void duplicateKeysWrittenDifferentlyAreAllRefused(boolean warehouseEngine) {
        String single = createTwinKeys();
        SyncSettings bySku = new SyncSettings("twins", "SELECT sku, label FROM twins", "sku", SyncMode.UPSERT,
                RemovedRows.IGNORE, 2, 2, 100, 3, true, null, null, warehouseEngine);

        RunRecord run = run(bySku);

        assertThat(run.count(RunCounter.DUPLICATES)).isEqualTo(2);
        assertThat(delivered).containsExactly(single + ":added");
    }

    /** A table {@code twins (sku, label)}: two rows whose keys the warehouse finds equal, written differently, and
     * one other; returns that other's key. */
    abstract String createTwinKeys();

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aDuplicateOfADeliveredRowIsRefusedEvenWhenTheOriginalIsUnchanged(boolean warehouseEngine) {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50)");
        run(warehouseEngine, SyncMode.UPSERT);
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada twin', 2.00)");

        for (int i = 0; i < 2; i++) {
            RunRecord run = run(warehouseEngine, SyncMode.UPSERT);

            assertThat(delivered).as("run %d: neither twin is sent", i).isEmpty();
            // the warehouse engine sees only the twin that differs from its snapshot
            assertThat(run.count(RunCounter.DUPLICATES)).isEqualTo(warehouseEngine ? 1 : 2);
            assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        }
    }

    @org.junit.jupiter.api.Test
    void anEmptiedSnapshotIsRestoredFromTheLedgerSoNothingDeliveredIsSentAgain() {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00), (3, 'us', 'Alan', 3.25)");
        refuse = item -> item.key().contains("\"3\"");
        run(true, SyncMode.UPSERT);
        refuse = item -> false;
        // what a crash or failover of PostgreSQL does to the (unlogged) snapshot
        sql.execute("TRUNCATE rowcast.snapshot_people");
        sql.update("UPDATE people SET score = 9.99 WHERE id = 1");

        RunRecord after = run(true, SyncMode.UPSERT);

        assertThat(delivered).as("the rejected row is retried, the changed one sent as a change, the other kept")
                .containsExactlyInAnyOrder("[\"1\",\"eu\"]:changed", "[\"3\",\"us\"]:added");
        assertThat(after.count(RunCounter.PLANNED_ADDED)).isEqualTo(1);
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM rowcast.snapshot_people", Long.class)).isEqualTo(3);
        assertThat(sent(run(true, SyncMode.UPSERT))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aSnapshotKeyedByTimestampsIsRestoredAndDeletesTheKeysTheLedgerHas() {
        sql.execute("DROP TABLE IF EXISTS visits");
        sql.execute("CREATE TABLE visits (visited_at TIMESTAMP, page VARCHAR(20))");
        sql.update("INSERT INTO visits VALUES (TIMESTAMP '2026-01-01 10:00:00', 'home'), (TIMESTAMP '2026-01-02 11:30:15.25', 'cart')");
        SyncSettings mirror = settings("visits", "SELECT visited_at, page FROM visits", "visited_at", SyncMode.MIRROR, true);
        run(mirror);
        assertThat(delivered).containsExactlyInAnyOrder("2026-01-01T10:00:added", "2026-01-02T11:30:15.250:added");
        // the ledger writes 2026-01-01T10:00 where the warehouse would write 2026-01-01 10:00:00
        sql.execute("TRUNCATE rowcast.snapshot_visits");

        RunRecord restored = run(mirror);

        assertThat(dispatched).as("nothing delivered is sent again, and no live row is deleted").isEmpty();
        sql.update("DELETE FROM visits WHERE page = 'cart'");
        run(mirror);
        assertThat(delivered).as("the delete names the key the destination has").containsExactly("2026-01-02T11:30:15.250:removed");
        assertThat(sent(run(mirror))).isEmpty();
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aTimestampWithTimeZoneKeyIsReadChangedAndDeletedByTheSameKey(boolean warehouseEngine) {
        sql.execute("DROP TABLE IF EXISTS logins");
        sql.execute("CREATE TABLE logins (logged_in TIMESTAMP WITH TIME ZONE, user_name VARCHAR(20))");
        sql.update("INSERT INTO logins VALUES (TIMESTAMP WITH TIME ZONE '2026-01-01 10:00:00+02', 'ada'),"
                + " (TIMESTAMP WITH TIME ZONE '2026-01-02 11:30:15.25+00', 'grace')");
        SyncSettings mirror = settings("logins", "SELECT logged_in, user_name FROM logins", "logged_in", SyncMode.MIRROR, warehouseEngine);
        run(mirror);
        List<String> added = List.copyOf(delivered);
        assertThat(added).hasSize(2).allMatch(k -> k.endsWith(":added"));
        if (warehouseEngine) {
            sql.execute("TRUNCATE rowcast.snapshot_logins");
        }
        assertThat(sent(run(mirror))).as("unchanged (and, in the warehouse, restored)").isEmpty();

        sql.update("UPDATE logins SET user_name = 'ada l' WHERE user_name = 'ada'");
        sql.update("DELETE FROM logins WHERE user_name = 'grace'");
        run(mirror);

        String ada = added.stream().filter(k -> k.contains("2026-01-01")).findFirst().orElseThrow().replace(":added", "");
        String grace = added.stream().filter(k -> k.contains("2026-01-02")).findFirst().orElseThrow().replace(":added", "");
        assertThat(delivered).containsExactlyInAnyOrder(ada + ":changed", grace + ":removed");
        assertThat(sent(run(mirror))).isEmpty();
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void timesKeepTheirFractionsOfASecondAsKeysAndAsValues(boolean warehouseEngine) {
        sql.execute("DROP TABLE IF EXISTS shifts");
        sql.execute("CREATE TABLE shifts (starts TIME, ends TIME, label VARCHAR(20))");
        // one second apart only in their fractions: read as java.sql.Time, both were 09:00:00, one key twice
        sql.update("INSERT INTO shifts VALUES (TIME '09:00:00.123456', TIME '17:00:00.5', 'early'),"
                + " (TIME '09:00:00.654321', TIME '17:00:00', 'late'), (TIME '10:00:00', TIME '18:00:00', 'whole')");
        SyncSettings mirror = settings("shifts", "SELECT starts, ends, label FROM shifts", "starts", SyncMode.MIRROR, warehouseEngine);
        run(mirror);
        assertThat(delivered).as("ISO text, seconds always written").containsExactlyInAnyOrder("09:00:00.123456:added",
                "09:00:00.654321:added", "10:00:00:added");
        if (warehouseEngine) {
            sql.execute("TRUNCATE rowcast.snapshot_shifts");
        }
        assertThat(sent(run(mirror))).as("unchanged (and, in the warehouse, restored from the ledger)").isEmpty();

        sql.update("UPDATE shifts SET ends = TIME '17:00:00.25' WHERE label = 'late'");
        sql.update("DELETE FROM shifts WHERE label = 'early'");
        run(mirror);

        assertThat(delivered).as("a change of a fraction of a second is a change")
                .containsExactlyInAnyOrder("09:00:00.654321:changed", "09:00:00.123456:removed");
        assertThat(sent(run(mirror))).isEmpty();
    }

    /** The diff reads the model's whole row under an alias; a column of the same name must not stand in for the row. */
    @org.junit.jupiter.api.Test
    void aColumnNamedLikeTheDiffsRowAliasDoesNotHideChanges() {
        sql.execute("DROP TABLE IF EXISTS letters");
        sql.execute("CREATE TABLE letters (id INTEGER, m VARCHAR(10), d VARCHAR(10), s VARCHAR(10), body VARCHAR(20))");
        sql.update("INSERT INTO letters VALUES (1, 'm', 'd', 's', 'dear ada')");
        SyncSettings upsert = settings("letters", "SELECT id, m, d, s, body FROM letters", "id", SyncMode.UPSERT, true);
        RunRecord first = run(upsert);
        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(RunStatus.SUCCESS);
        sql.update("UPDATE letters SET body = 'dear grace'");
        run(upsert);
        assertThat(delivered).containsExactly("1:changed");
    }

    @org.junit.jupiter.api.Test
    void aModelColumnNamedLikeTheDiffsOwnIsRefusedByName() {
        RunRecord run = run(settings("people", "SELECT id, region, name AS ROWCAST_PREV_1 FROM people", "id", SyncMode.UPSERT, true));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).containsIgnoringCase("'rowcast_prev_1'").contains("rename it in the model query");
        RunRecord allowed = run(settings("people", "SELECT id, region, name AS rowcast_name FROM people", "id", SyncMode.UPSERT, true));
        assertThat(allowed.status()).as("other rowcast_ names do not clash").isEqualTo(RunStatus.SUCCESS);
    }

    /** An enum key, of a type made by {@link #createMoodType}: restored from the ledger and deleted by its label. */
    @org.junit.jupiter.api.Test
    void anEnumKeyIsRestoredAndDeleted() {
        sql.execute("DROP TABLE IF EXISTS feelings");
        createMoodType();
        sql.execute("CREATE TABLE feelings (feeling mood, note VARCHAR(10))");
        sql.update("INSERT INTO feelings VALUES ('sad', 'a'), ('happy', 'b')");
        SyncSettings mirror = settings("feelings", "SELECT feeling, note FROM feelings", "feeling", SyncMode.MIRROR, true);
        RunRecord first = run(mirror);
        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(delivered).containsExactlyInAnyOrder("sad:added", "happy:added");
        sql.execute("TRUNCATE rowcast.snapshot_feelings");
        RunRecord restored = run(mirror);
        assertThat(restored.status()).as(String.valueOf(restored.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(dispatched).as("restored from the ledger").isEmpty();
        sql.update("DELETE FROM feelings WHERE note = 'b'");
        run(mirror);
        assertThat(delivered).containsExactly("happy:removed");
        assertThat(sent(run(mirror))).as("the delete left the snapshot").isEmpty();
    }

    /** Creates the enum type {@code mood} ('sad', 'ok', 'happy'), as this warehouse spells it. */
    abstract void createMoodType();

    /** Binary columns (bytea, BLOB) are values like any other: unchanged bytes are not sent again, changed ones are. */
    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void aBinaryColumnIsSentWhenItsBytesChangeAndOnlyThen(boolean warehouseEngine) {
        sql.execute("DROP TABLE IF EXISTS files");
        sql.execute("CREATE TABLE files (id INTEGER, content " + binaryType() + ")");
        sql.update("INSERT INTO files VALUES (1, ?), (2, ?)", new byte[] {1, 2, 3}, new byte[] {4, 5});
        assertSentWhenChangedAndOnlyThen(settings("files", "SELECT id, content FROM files", "id", SyncMode.UPSERT, warehouseEngine),
                List.of(1, 2), () -> sql.update("UPDATE files SET content = ? WHERE id = 2", new byte[] {4, 6}), List.of(2));
    }

    /**
     * A binary key is written as Base64 text, which the warehouse does not read back as those bytes: the warehouse
     * engine would find every row added on every run. It refuses such a key, saying what to do; the local engine
     * keeps keys as text and takes it.
     */
    @org.junit.jupiter.api.Test
    void aBinaryKeyIsRefusedByTheWarehouseEngineAndTakenByTheLocalOne() {
        sql.execute("DROP TABLE IF EXISTS files");
        sql.execute("CREATE TABLE files (id INTEGER, content " + binaryType() + ")");
        sql.update("INSERT INTO files VALUES (1, ?), (2, ?)", new byte[] {1, 2, 3}, new byte[] {4, 5});

        RunRecord refused = run(settings("files", "SELECT content, id FROM files", "content", SyncMode.UPSERT, true));

        assertThat(refused.status()).isEqualTo(RunStatus.FAILED);
        assertThat(refused.error()).contains("primary key column 'content' is binary").contains("state: local");
        assertThat(dispatched).isEmpty();
        SyncSettings local = settings("files_local", "SELECT content, id FROM files", "content", SyncMode.UPSERT, false);
        assertThat(run(local).accepted()).isEqualTo(2);
        assertThat(sent(run(local))).as("unchanged rows stay unsent").isEmpty();
    }

    @ParameterizedTest(name = "warehouse engine: {0}")
    @ValueSource(booleans = {false, true})
    void arrayColumnsWithNullsAndBytesAreSentWhenAnElementChangesAndOnlyThen(boolean warehouseEngine) {
        sql.execute("DROP TABLE IF EXISTS bags");
        sql.execute("CREATE TABLE bags (id INTEGER, counts INTEGER[], blobs " + binaryType() + "[], words VARCHAR(10)[])");
        String bytes = "CAST('\\x01' AS " + binaryType() + ")";
        sql.update("INSERT INTO bags VALUES (1, ARRAY[1, NULL], ARRAY[" + bytes + "], NULL), (2, ARRAY[2], ARRAY[" + bytes + ", NULL], NULL),"
                + " (3, NULL, NULL, ARRAY['a, b']), (4, NULL, NULL, ARRAY[NULL])");
        SyncSettings upsert = settings("bags", "SELECT id, counts, blobs, words FROM bags", "id", SyncMode.UPSERT, warehouseEngine);
        assertSentWhenChangedAndOnlyThen(upsert, List.of(1, 2, 3, 4), () -> {
            sql.update("UPDATE bags SET counts = ARRAY[1, 3] WHERE id = 1");
            sql.update("UPDATE bags SET blobs = ARRAY[CAST('\\x02' AS " + binaryType() + "), NULL] WHERE id = 2");
            // the same text, as an array's text: two elements for one, the word null for a NULL
            sql.update("UPDATE bags SET words = ARRAY['a', 'b'] WHERE id = 3");
            sql.update("UPDATE bags SET words = ARRAY['null'] WHERE id = 4");
        }, List.of(1, 2, 3, 4));
    }

    /**
     * An upsert keyed by id: the rows {@code ids} are added and a second run sends nothing; after {@code change},
     * exactly the rows {@code changed} go as changed, and then nothing again.
     */
    void assertSentWhenChangedAndOnlyThen(SyncSettings upsert, List<Integer> ids, Runnable change, List<Integer> changed) {
        RunRecord first = run(upsert);
        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + ":added").toList());
        assertThat(sent(run(upsert))).as("unchanged").isEmpty();

        change.run();
        run(upsert);

        assertThat(delivered).containsExactlyInAnyOrderElementsOf(changed.stream().map(id -> id + ":changed").toList());
        assertThat(sent(run(upsert))).as("unchanged again").isEmpty();
    }

    /** The warehouse's binary type: bytea or BLOB. */
    abstract String binaryType();

    @org.junit.jupiter.api.Test
    void keyColumnsNamedLikeKeywordsWork() {
        sql.execute("DROP TABLE IF EXISTS lines");
        sql.execute("CREATE TABLE lines (\"order\" INTEGER, \"user\" VARCHAR(10), qty INTEGER)");
        sql.update("INSERT INTO lines VALUES (1, 'ada', 2), (2, 'ada', 3)");
        SyncSettings lines = settings("lines", "SELECT \"order\", \"user\", qty FROM lines", "order, user", SyncMode.MIRROR, true);
        assertThat(run(lines).count(RunCounter.SUCCEEDED_ADDED)).isEqualTo(2);
        sql.execute("TRUNCATE rowcast.snapshot_lines");
        sql.update("UPDATE lines SET qty = 9 WHERE \"order\" = 1");
        sql.update("DELETE FROM lines WHERE \"order\" = 2");

        RunRecord after = run(lines);

        assertThat(after.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(delivered).containsExactlyInAnyOrder("[\"1\",\"ada\"]:changed", "[\"2\",\"ada\"]:removed");
    }

    @org.junit.jupiter.api.Test
    void aWidenedKeyColumnRemakesTheSnapshotSoNoKeyIsCut() {
        sql.execute("DROP TABLE IF EXISTS prices");
        sql.execute("CREATE TABLE prices (amount DECIMAL(10,2), label VARCHAR(10))");
        sql.update("INSERT INTO prices VALUES (1.50, 'a')");
        SyncSettings prices = settings("prices", "SELECT amount, label FROM prices", "amount", SyncMode.UPSERT, true);
        run(prices);
        sql.execute("DROP TABLE prices");
        sql.execute("CREATE TABLE prices (amount DECIMAL(12,4), label VARCHAR(10))");
        sql.update("INSERT INTO prices VALUES (1.50, 'a'), (2.1234, 'b')");

        run(prices);

        assertThat(delivered).contains("2.1234:added");
        assertThat(sent(run(prices))).as("2.1234 kept whole, not cut to 2.12").isEmpty();
    }

    /** Warehouse run, then a local run that sends Ada at 7, then Ada back at 1.50 as the snapshot has her. */
    private void adaChangedAndChangedBackWhileTheLocalEngineRan() {
        adaAndGraceDelivered(true, SyncMode.UPSERT);
        sql.update("UPDATE people SET score = 7 WHERE id = 1");
        run(false, SyncMode.UPSERT);   // the destination now has Ada at 7
        sql.update("UPDATE people SET score = 1.50 WHERE id = 1");
    }

    @org.junit.jupiter.api.Test
    void aWarehouseRunThatFailsBeforeItsSnapshotIsInStepDoesNotHideALocalRun() {
        adaChangedAndChangedBackWhileTheLocalEngineRan();
        SyncSettings broken = settings("people", "SELECT id, region, name, score FROM no_such_table", "id, region", SyncMode.UPSERT, true);
        assertThat(run(broken).status()).isEqualTo(RunStatus.FAILED);

        run(true, SyncMode.UPSERT);

        assertThat(delivered).as("Ada is sent back to 1.50").contains("[\"1\",\"eu\"]:changed");
    }

    @org.junit.jupiter.api.Test
    void aSnapshotKeptByAnOlderRowcastIsMadeAnewFromTheLedger() {
        adaAndGraceDelivered(true, SyncMode.UPSERT);
        // the text-keyed layout Rowcast used before the snapshot took the model's key columns
        sql.execute("DROP TABLE rowcast.snapshot_people");
        sql.execute("CREATE TABLE rowcast.snapshot_people (row_key VARCHAR PRIMARY KEY, fingerprint BIGINT NOT NULL)");
        sql.update("INSERT INTO rowcast.snapshot_people VALUES ('[\"1\",\"eu\"]', 1), ('[\"2\",\"eu\"]', 2)");
        sql.update("UPDATE people SET score = 9.99 WHERE id = 2");

        RunRecord after = run(true, SyncMode.UPSERT);

        assertThat(delivered).containsExactly("[\"2\",\"eu\"]:changed");
        assertThat(after.count(RunCounter.REMOVED)).isZero();
        assertThat(snapshotColumns())
                .containsExactly("id", "region", "rowcast_fp", "rowcast_ledger_at");
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM rowcast.snapshot_people", Long.class)).isEqualTo(2);
    }

    /** The columns of sync people's warehouse snapshot, in table order. */
    private List<String> snapshotColumns() {
        return sql.queryForList("SELECT column_name FROM information_schema.columns WHERE table_schema = 'rowcast'"
                + " AND table_name = 'snapshot_people' ORDER BY ordinal_position", String.class);
    }

    /** A snapshot made before it kept where the ledger keeps each row gets the column, and keeps its rows. */
    @org.junit.jupiter.api.Test
    void aSnapshotWithoutLedgerPositionsGainsTheColumn() {
        adaAndGraceDelivered(true, SyncMode.UPSERT);
        sql.execute("ALTER TABLE rowcast.snapshot_people DROP COLUMN rowcast_ledger_at");
        sql.update("UPDATE people SET score = 9.99 WHERE id = 2");

        assertThat(sent(run(true, SyncMode.UPSERT))).containsExactly("[\"2\",\"eu\"]:changed");
        assertThat(snapshotColumns())
                .containsExactly("id", "region", "rowcast_fp", "rowcast_ledger_at");
        assertThat(sent(run(true, SyncMode.UPSERT))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aRowChangedAndChangedBackWhileTheLocalEngineRanIsNotLeftStale() {
        adaChangedAndChangedBackWhileTheLocalEngineRan();

        run(true, SyncMode.UPSERT);

        // the snapshot still says 1.50 was delivered; the ledger knows 7 was
        assertThat(delivered).as("Ada is sent back to 1.50").contains("[\"1\",\"eu\"]:changed");
        assertThat(sent(run(true, SyncMode.UPSERT))).isEmpty();
        assertThat(new JdbcTemplate(h2).queryForList("SELECT engine FROM sync_run WHERE sync_id = 'people' ORDER BY run_id",
                String.class)).containsExactly("warehouse", "local", "warehouse", "warehouse");
    }

    @org.junit.jupiter.api.Test
    void aRunOfTheOtherEngineDropsTheLocalEnginesStateImage() {
        adaAndGraceDelivered(false, SyncMode.UPSERT);
        JdbcTemplate stateSql = new JdbcTemplate(h2);
        assertThat(stateSql.queryForObject("SELECT COUNT(*) FROM sync_row_image WHERE sync_id = 'people'", Long.class))
                .as("the local engine keeps an image").isPositive();

        sql.update("UPDATE people SET score = 5 WHERE id = 1");
        run(true, SyncMode.UPSERT);   // changes sync_row without extending the image

        assertThat(stateSql.queryForObject("SELECT COUNT(*) FROM sync_row_image WHERE sync_id = 'people'", Long.class)).isZero();
        sql.update("UPDATE people SET score = 1.50 WHERE id = 1");
        // a stale image would call both rows unchanged; sync_row holds the warehouse engine's fingerprints,
        // computed by the warehouse's own hash, so after a switch of engine every row is sent once as changed
        assertThat(run(false, SyncMode.UPSERT).count(RunCounter.PLANNED_CHANGED)).isEqualTo(2);
    }
}
