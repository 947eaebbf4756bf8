package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rowcast.state.StateStore;
import io.rowcast.testing.SyncTestSupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Modes, change detection, dead rows, duplicates, operations and the lease, on PostgreSQL, CleverTap profiles. */
class ChangeDetectionTest extends SyncTestSupport {

    @BeforeEach
    void people() throws Exception {
        warehouse.execute("DROP TABLE IF EXISTS people");
        warehouse.execute("CREATE TABLE people (user_id TEXT, name TEXT, email TEXT, phone TEXT, country TEXT, plan TEXT)");
        for (String mode : List.of("insert", "update", "upsert", "all", "mirror", "update-in-warehouse", "upsert-in-warehouse",
                "mirror-in-warehouse")) {
            startSync("people-" + mode, "clevertap-profile.yaml",
                    "query: SELECT user_id, name, email, phone, country, plan FROM people", "primaryKey: user_id",
                    "mode: " + mode.replace("-in-warehouse", ""), "state: " + (mode.endsWith("-in-warehouse") ? "warehouse" : "local"),
                    "maxRowAttempts: 3", "batchSize: 2");
        }
    }

    private void person(String id, String name, String phone) {
        warehouse.update("INSERT INTO people VALUES (?, ?, ?, ?, 'GB', 'pro')", id, name, id + "@example.com", phone);
    }

    /** Ada (u1) and Grace (u2) in the model, delivered by a first run of {@code sync}. */
    private void adaAndGraceDeliveredBy(String sync) {
        person("u1", "Ada", "+441");
        person("u2", "Grace", "+442");
        run(sync);
    }

    private List<String> sentNames() {
        return sandbox.accepted().stream().map(r -> r.path("profileData").path("Name").asText()).toList();
    }

    @Test
    void upsertSendsAddedAndChangedRowsAndLeavesRemovedOnesAlone() {
        person("u1", "Ada", "+441");
        person("u2", "Grace", "+442");
        person("u3", "Alan", "+443");
        RunRecord first = run("people-upsert");
        assertThat(first.count(RunCounter.PLANNED_ADDED)).isEqualTo(3);
        assertThat(first.count(RunCounter.SUCCEEDED_ADDED)).isEqualTo(3);

        warehouse.update("UPDATE people SET name = 'Ada L.' WHERE user_id = 'u1'");
        warehouse.update("DELETE FROM people WHERE user_id = 'u3'");
        sandbox.reset();
        RunRecord second = run("people-upsert");

        assertThat(second.count(RunCounter.PLANNED_CHANGED)).isEqualTo(1);
        assertThat(second.count(RunCounter.SUCCEEDED_CHANGED)).isEqualTo(1);
        assertThat(second.count(RunCounter.PLANNED_ADDED)).isZero();
        assertThat(second.count(RunCounter.UNCHANGED)).isEqualTo(1);
        assertThat(second.count(RunCounter.REMOVED)).isEqualTo(1);
        assertThat(second.count(RunCounter.PLANNED_REMOVED)).as("removed rows are ignored in upsert").isZero();
        assertThat(sentNames()).containsExactly("Ada L.");

        warehouse.update("UPDATE people SET name = 'Ada' WHERE user_id = 'u1'");
        sandbox.reset();
        assertThat(run("people-upsert").count(RunCounter.PLANNED_CHANGED)).as("flipping back is a change too").isEqualTo(1);
        assertThat(sentNames()).containsExactly("Ada");
        assertThat(run("people-upsert").count(RunCounter.UNCHANGED)).as("and then it is unchanged").isEqualTo(2);
    }

    @Test
    void insertSendsOnlyNewKeysAndUpdateOnlyChangedOnes() {
        person("u1", "Ada", "+441");
        assertThat(run("people-insert").count(RunCounter.SUCCEEDED_ADDED)).isEqualTo(1);
        assertThat(run("people-update").count(RunCounter.PLANNED_ADDED)).as("update never creates").isZero();
        int received = sandbox.accepted().size();
        RunRecord reset = trigger.reset("people-update").orElseThrow();
        assertThat(sandbox.accepted()).as("reset sends nothing").hasSize(received);
        assertThat(reset.accepted()).as("it adopts the row as delivered").isEqualTo(1);

        warehouse.update("UPDATE people SET name = 'Ada L.' WHERE user_id = 'u1'");
        person("u2", "Grace", "+442");
        sandbox.reset();

        RunRecord insert = run("people-insert");
        assertThat(insert.count(RunCounter.PLANNED_ADDED)).isEqualTo(1);
        assertThat(insert.count(RunCounter.PLANNED_CHANGED)).as("insert ignores changes").isZero();
        RunRecord update = run("people-update");
        assertThat(update.count(RunCounter.PLANNED_CHANGED)).isEqualTo(1);
        assertThat(update.count(RunCounter.PLANNED_ADDED)).isZero();
        assertThat(sentNames()).containsExactlyInAnyOrder("Grace", "Ada L.");
    }

    @Test
    void mirrorDeletesProfilesThatLeftTheModel() {
        adaAndGraceDeliveredBy("people-mirror");
        warehouse.update("DELETE FROM people WHERE user_id = 'u2'");

        RunRecord run = run("people-mirror");

        assertThat(run.count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(1);
        assertThat(sandbox.deleted()).containsExactly("u2");
        assertThat(sentNames()).containsExactly("Ada");
        assertThat(state.rows("people-mirror", List.of("deleted"), 10)).singleElement()
                .satisfies(row -> assertThat(row.operation()).isEqualTo("removed"));
    }

    /** Rows saved before the ledger kept key hashes (V3) have none until they are written again. */
    @Test
    void aRowSavedWithoutAKeyHashStillGetsItsDelete() {
        adaAndGraceDeliveredBy("people-mirror");
        new org.springframework.jdbc.core.JdbcTemplate(stateDataSource).update(
                "UPDATE sync_row SET key_hash = NULL WHERE sync_id = 'people-mirror'");
        warehouse.update("DELETE FROM people WHERE user_id = 'u2'");

        RunRecord run = run("people-mirror");

        assertThat(run.count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(1);
        assertThat(sandbox.deleted()).containsExactly("u2");
    }

    @Test
    void aDuplicatedDeliveredKeyIsRefusedButNeitherRemovedNorDeleted() {
        adaAndGraceDeliveredBy("people-mirror");
        person("u1", "Ada twin", "+441");

        RunRecord run = run("people-mirror");

        assertThat(run.count(RunCounter.DUPLICATES)).isEqualTo(2);
        assertThat(run.count(RunCounter.REMOVED)).as("u1 is still in the model").isZero();
        assertThat(run.count(RunCounter.PLANNED_REMOVED)).isZero();
        assertThat(sandbox.deleted()).isEmpty();
        assertThat(state.rows("people-mirror", List.of("deleted"), 10)).isEmpty();
        assertThat(state.rows("people-mirror", List.of("delivered"), 10)).extracting(StateStore.RowState::key)
                .as("the destination keeps u1 as last delivered").containsExactly("u1", "u2");
    }

    /** Runs in which CleverTap never answered (503 after every retry) use none of a row's attempts. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"people-mirror", "people-mirror-in-warehouse"})
    void anOutageLongerThanTheAttemptsDoesNotKillRows(String sync) {
        adaAndGraceDeliveredBy(sync);
        warehouse.update("DELETE FROM people WHERE user_id = 'u2'");
        for (int i = 1; i <= 4; i++) {
            for (int attempt = 0; attempt < 4; attempt++) {
                sandbox.failNext(503, Map.of());   // every attempt of the run's one request, the delete
            }
            assertThat(run(sync).count(RunCounter.FAILED_REMOVED)).isEqualTo(1);
        }
        assertThat(state.rows(sync, List.of("dead"), 10)).as("maxRowAttempts is 3 here").isEmpty();
        assertThat(state.rejectedRows(sync)).singleElement().satisfies(row -> {
            assertThat(row.code()).isEqualTo("HTTP_503");
            assertThat(row.attempts()).isZero();
        });

        assertThat(run(sync).count(RunCounter.SUCCEEDED_REMOVED)).as("CleverTap back").isEqualTo(1);
        assertThat(sandbox.deleted()).containsExactly("u2");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"people-mirror", "people-mirror-in-warehouse"})
    void aDeleteRefusedUntilDeadIsNotSentAgainUntilRetryDead(String sync) {
        adaAndGraceDeliveredBy(sync);
        warehouse.update("DELETE FROM people WHERE user_id = 'u2'");
        for (int i = 1; i <= 3; i++) {
            sandbox.failNext(200, Map.of());   // CleverTap answers the delete with status fail: refused
            assertThat(run(sync).count(RunCounter.FAILED_REMOVED)).isEqualTo(1);
        }
        assertThat(state.rows(sync, List.of("dead"), 10)).singleElement().satisfies(row -> {
            assertThat(row.key()).isEqualTo("u2");
            assertThat(row.operation()).isEqualTo("removed");
            assertThat(row.attempts()).isEqualTo(3);
        });

        int requests = sandbox.requests();
        RunRecord quiet = run(sync);
        assertThat(sandbox.requests()).as("a dead delete is not sent").isEqualTo(requests);
        assertThat(quiet.count(RunCounter.DEAD)).isEqualTo(1);
        assertThat(quiet.count(RunCounter.PLANNED_REMOVED)).isZero();
        assertThat(quiet.count(RunCounter.NEWLY_DEAD)).isZero();
        assertThat(quiet.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(state.rows(sync, List.of("dead"), 10)).singleElement()
                .satisfies(row -> assertThat(row.attempts()).as("no attempt spent").isEqualTo(3));

        assertThat(trigger.retryDead(sync)).contains(1);
        RunRecord revived = run(sync);
        assertThat(revived.count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(1);
        assertThat(sandbox.deleted()).containsExactly("u2");
        assertThat(state.rows(sync, List.of("deleted"), 10)).extracting(StateStore.RowState::key).containsExactly("u2");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"people-mirror", "people-mirror-in-warehouse"})
    void aRowDeadFromRefusedChangesStillGetsItsDeleteWhenItLeavesTheModel(String sync) {
        adaAndGraceDeliveredBy(sync);
        warehouse.update("UPDATE people SET phone = '0044-no-plus' WHERE user_id = 'u2'");   // refused: 516
        for (int i = 1; i <= 3; i++) {
            assertThat(run(sync).count(RunCounter.FAILED_CHANGED)).isEqualTo(1);
        }
        assertThat(state.rows(sync, List.of("dead"), 10)).singleElement()
                .satisfies(row -> assertThat(row.operation()).isEqualTo("changed"));
        warehouse.update("DELETE FROM people WHERE user_id = 'u2'");

        RunRecord run = run(sync);

        assertThat(run.count(RunCounter.SUCCEEDED_REMOVED)).isEqualTo(1);
        assertThat(sandbox.deleted()).containsExactly("u2");
        assertThat(state.rows(sync, List.of("deleted"), 10)).extracting(StateStore.RowState::key).containsExactly("u2");
    }

    @Test
    void mirrorOnEventsRefusesToStartAndSaysWhy() throws Exception {
        String yaml = """
                - route:
                    id: orders-mirror
                    from:
                      uri: warehouse:orders-mirror
                      parameters:
                        query: SELECT * FROM orders
                        primaryKey: transaction_id
                        mode: mirror
                        startScheduler: false
                        runOnStart: false
                      steps:
                        - to: mapping:clevertap-charged.yaml
                        - to: clevertap:upload
                """;
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("orders-mirror.yaml", yaml));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> camel.getRouteController().startRoute("orders-mirror"))
                    .hasStackTraceContaining("a clevertap event (clevertap-charged.yaml) cannot be deleted");
        } finally {
            if (camel.getRoute("orders-mirror") != null) {
                camel.getRouteController().stopRoute("orders-mirror");
                camel.removeRoute("orders-mirror");
            }
        }
    }

    /** Mapped but never sent (no destination step): each row refused with the reason, none counted as sent. */
    @Test
    void aRouteWithoutADestinationRefusesItsRowsAndSendsNone() throws Exception {
        person("u1", "Ada", "+441");
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("people-nowhere.yaml", """
                - route:
                    id: people-nowhere
                    from:
                      uri: warehouse:people-nowhere
                      parameters:
                        query: SELECT * FROM people
                        primaryKey: user_id
                        runOnStart: false
                        startScheduler: false
                      steps:
                        - to: mapping:clevertap-profile.yaml
                """));
        try {
            camel.getRouteController().startRoute("people-nowhere");
            RunRecord run = run("people-nowhere");

            assertThat(run.count(RunCounter.RECORDS_SENT)).isZero();
            assertThat(run.rejected()).isEqualTo(1);
            assertThat(state.rejectedRows("people-nowhere")).singleElement()
                    .satisfies(row -> assertThat(row.code()).isEqualTo("NO_OUTCOME"));
        } finally {
            camel.getRouteController().stopRoute("people-nowhere");
            camel.removeRoute("people-nowhere");
        }
    }

    @Test
    void allSendsEveryRowEveryRun() {
        person("u1", "Ada", "+441");
        person("u2", "Grace", "+442");
        run("people-all");
        run("people-all");
        assertThat(sentNames()).hasSize(4);
    }

    @Test
    void duplicateKeysAreRejectedAndNoneOfThemIsSent() {
        person("u1", "Ada", "+441");
        person("u1", "Ada twin", "+441");
        person("u2", "Grace", "+442");

        RunRecord run = run("people-upsert");

        assertThat(run.count(RunCounter.DUPLICATES)).isEqualTo(2);
        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(sentNames()).containsExactly("Grace");
        Integer recorded = new org.springframework.jdbc.core.JdbcTemplate(stateDataSource).queryForObject(
                "SELECT COUNT(*) FROM sync_row_rejection WHERE sync_id = 'people-upsert' AND code = 'DUPLICATE_PRIMARY_KEY'"
                        + " AND row_key = 'u1'", Integer.class);
        assertThat(recorded).isEqualTo(2);
    }

    @Test
    void aRowRejectedThreeRunsBecomesDeadUntilRetryDeadThenIsAccepted() {
        person("u1", "Ada", "0044-no-plus");
        person("u2", "Grace", "+442");
        for (int i = 1; i <= 3; i++) {
            RunRecord r = run("people-upsert");
            assertThat(r.rejected()).isEqualTo(1);
        }
        assertThat(state.rows("people-upsert", List.of("dead"), 10)).singleElement().satisfies(row -> {
            assertThat(row.key()).isEqualTo("u1");
            assertThat(row.code()).isEqualTo("516");
            assertThat(row.attempts()).isEqualTo(3);
        });
        int requests = sandbox.requests();
        RunRecord skipped = run("people-upsert");
        assertThat(skipped.count(RunCounter.DEAD)).isEqualTo(1);
        assertThat(sandbox.requests()).as("a dead row is not sent").isEqualTo(requests);

        state.lease().tryLock("people-upsert", "a-running-process", java.time.Duration.ofSeconds(60));
        assertThat(trigger.retryDead("people-upsert")).as("not while a run holds the lease").isEmpty();
        state.lease().unlock("people-upsert", "a-running-process");
        assertThat(trigger.retryDead("people-upsert")).contains(1);
        warehouse.update("UPDATE people SET phone = '+441' WHERE user_id = 'u1'");
        RunRecord revived = run("people-upsert");
        assertThat(revived.accepted()).isEqualTo(1);
        assertThat(state.rejectedRows("people-upsert")).isEmpty();
    }

    @Test
    void resyncSendsEverythingAgain() {
        person("u1", "Ada", "+441");
        person("u2", "Grace", "+442");
        run("people-upsert");

        RunRecord resync = trigger.resync("people-upsert").orElseThrow();

        assertThat(resync.count(RunCounter.PLANNED_ADDED)).isEqualTo(2);
        assertThat(sentNames()).containsExactlyInAnyOrder("Ada", "Grace", "Ada", "Grace");
    }

    @Test
    void resyncOfAWarehouseEngineSyncSendsEverythingAgainAndRefillsItsSnapshot() {
        person("u1", "Ada", "+441");
        person("u2", "Grace", "+442");
        run("people-upsert-in-warehouse");

        RunRecord resync = trigger.resync("people-upsert-in-warehouse").orElseThrow();

        assertThat(resync.count(RunCounter.PLANNED_ADDED)).isEqualTo(2);
        assertThat(sentNames()).containsExactlyInAnyOrder("Ada", "Grace", "Ada", "Grace");
        assertThat(warehouse.queryForObject("SELECT COUNT(*) FROM rowcast.snapshot_people_upsert_in_warehouse", Long.class))
                .isEqualTo(2);
        assertThat(run("people-upsert-in-warehouse").recordsSent()).isZero();
    }

    /**
     * The model stops returning a column a mapping reads (a view redefined while Rowcast runs): the run fails
     * naming it, and sends nothing, rather than sending every profile with that field NULL.
     */
    @Test
    void aRunWhoseModelLostAMappedColumnFailsAndSendsNothing() throws Exception {
        warehouse.execute("CREATE OR REPLACE VIEW people_view AS SELECT * FROM people");
        startSync("people-view", "clevertap-profile.yaml", "query: SELECT * FROM people_view", "primaryKey: user_id",
                "mode: upsert");
        person("u1", "Ada", "+441");
        assertThat(run("people-view").accepted()).isEqualTo(1);
        warehouse.execute("DROP VIEW people_view");
        warehouse.execute("CREATE VIEW people_view AS SELECT user_id, name, phone, country, plan FROM people");
        sandbox.reset();

        RunRecord run = run("people-view");

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("clevertap-profile.yaml reads column(s) [email]").contains("does not return");
        assertThat(sandbox.accepted()).isEmpty();
        assertThat(state.rejectedRows("people-view")).as("the row is not to blame").isEmpty();
        warehouse.execute("DROP VIEW people_view");
    }

    /**
     * Update never sends a key it has not delivered: a resync that forgot the delivered keys would leave it
     * nothing to send, then or ever after. It sends every delivered row again, as changed.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"people-update", "people-update-in-warehouse"})
    void aResyncOfAnUpdateSyncSendsEveryDeliveredRowAgain(String sync) {
        person("u1", "Ada", "+441");
        person("u2", "Grace", "+442");
        trigger.reset(sync).orElseThrow();
        person("u3", "Alan", "+443");

        RunRecord resync = trigger.resync(sync).orElseThrow();

        assertThat(resync.status()).as(String.valueOf(resync.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(resync.count(RunCounter.PLANNED_CHANGED)).isEqualTo(2);
        assertThat(sentNames()).as("update still never creates Alan").containsExactlyInAnyOrder("Ada", "Grace");
        warehouse.update("UPDATE people SET name = 'Ada L.' WHERE user_id = 'u1'");
        sandbox.reset();
        assertThat(run(sync).count(RunCounter.PLANNED_CHANGED)).as("and later changes go out as before").isEqualTo(1);
        assertThat(sentNames()).containsExactly("Ada L.");
    }

    /** A resync of a sync that deletes sends every row again and still deletes the rows that left the model meanwhile. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"people-mirror", "people-mirror-in-warehouse"})
    void aResyncOfAMirrorStillDeletesTheRowsThatLeftTheModel(String sync) {
        adaAndGraceDeliveredBy(sync);
        warehouse.update("DELETE FROM people WHERE user_id = 'u2'");

        RunRecord resync = trigger.resync(sync).orElseThrow();

        assertThat(resync.status()).as(String.valueOf(resync.error())).isEqualTo(RunStatus.SUCCESS);
        assertThat(sentNames()).as("Ada sent again (the sandbox drops a deleted profile)").containsExactly("Ada", "Ada");
        assertThat(sandbox.deleted()).containsExactly("u2");
        assertThat(state.rejectedRows(sync)).isEmpty();
        RunRecord after = run(sync);
        assertThat(after.recordsSent()).as("in step").isZero();
    }

    @Test
    void aRunStoppedAfterSomeBatchesLosesNothingOnRestart() {
        for (int i = 0; i < 9; i++) {
            person("u" + i, "P" + i, "+44" + i);
        }
        // batches of 2, one request each: the third request fails the run, stopping it as a crash would
        RunRecord crashed = runWithFatalAfter(2);
        assertThat(crashed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(crashed.accepted()).isBetween(2L, 8L);

        RunRecord restarted = run("people-upsert");

        assertThat(restarted.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(state.deliveredCount("people-upsert")).isEqualTo(9);
        assertThat(sandbox.accepted().stream().map(r -> r.path("identity").asText()).distinct()).hasSize(9);
        assertThat(sandbox.accepted()).as("nothing lost; at most the in-flight batches sent twice").hasSizeBetween(9, 9 + 2 * 4);
    }

    private RunRecord runWithFatalAfter(int okRequests) {
        for (int i = 0; i < okRequests; i++) {
            sandbox.passNext();
        }
        sandbox.failNext(401, Map.of());
        return run("people-upsert");
    }

    @Test
    void aSyncRunsOnceAtATimeAcrossProcesses() throws Exception {
        person("u1", "Ada", "+441");
        java.time.Duration minute = java.time.Duration.ofSeconds(60);
        assertThat(state.lease().tryLock("people-upsert", "another-process", minute)).isTrue();

        assertThat(trigger.run("people-upsert")).as("skipped while another process holds the lease").isEmpty();

        state.lease().unlock("people-upsert", "another-process");
        assertThat(trigger.run("people-upsert")).isPresent();
        assertThat(state.lease().tryLock("people-upsert", "another-process", minute))
                .as("the lease is released after the run").isTrue();
        state.lease().unlock("people-upsert", "another-process");
        assertThat(state.lease().tryLock("people-upsert", "a", java.time.Duration.ofSeconds(-1))).isTrue();
        assertThat(state.lease().tryLock("people-upsert", "b", minute)).as("an expired lease is taken over").isTrue();
        assertThat(state.lease().renew("people-upsert", "a", minute)).as("a lease taken over is not renewed").isFalse();
        state.lease().unlock("people-upsert", "b");
        assertThat(state.lease().renew("people-upsert", "b", minute)).as("nor one given back").isFalse();
        // a lease row that cannot be written is an error, not "another process holds it"
        assertThatThrownBy(() -> state.lease().tryLock("x".repeat(201), "a", minute))
                .isInstanceOf(io.rowcast.state.StateStore.StateStoreException.class).hasMessageContaining("Could not take the lock");
    }

    private interface Meanwhile {
        void happen() throws Exception;
    }

    /**
     * Runs people-upsert over 20 rows under a 400 ms lease (renewed every 100 ms); once the destination holds its
     * requests, {@code meanwhile} happens, then the destination answers. Then a run under the usual lease delivers
     * every row.
     */
    private RunRecord runWithAShortLease(Meanwhile meanwhile) throws Exception {
        for (int i = 0; i < 20; i++) {
            person("u" + i, "P" + i, "+44" + i);
        }
        io.rowcast.warehouse.WarehouseComponent component = camel.getComponent("warehouse", io.rowcast.warehouse.WarehouseComponent.class);
        java.time.Duration lease = component.getLease();
        component.setLease(java.time.Duration.ofMillis(400));
        RunRecord run;
        try {
            sandbox.holdAfter(2);
            CompletableFuture<java.util.Optional<RunRecord>> running = CompletableFuture.supplyAsync(() -> trigger.run("people-upsert"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sandbox.held() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            meanwhile.happen();
            sandbox.release();
            run = running.get(30, TimeUnit.SECONDS).orElseThrow();
        } finally {
            component.setLease(lease);
            sandbox.release();
        }
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("lease ran out or was taken by another process");
        assertThat(run.accepted()).as("only what was in flight when the lease went").isBetween(2L, 12L);
        assertThat(run.unsent()).isPositive();
        return run;
    }

    @Test
    void aRunWhoseLeaseWasTakenSendsNoMoreAndTheNextRunDeliversTheRest() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate stateDb = new org.springframework.jdbc.core.JdbcTemplate(stateDataSource);

        runWithAShortLease(() -> {
            // another process takes the lease, as if this one had stalled past its expiry
            stateDb.update("UPDATE sync_lock SET owner = 'another-process', expires_at = ? WHERE sync_id = 'people-upsert'",
                    java.sql.Timestamp.from(Instant.now().plusSeconds(60)));
            Thread.sleep(400);
        });

        assertThat(stateDb.queryForObject("SELECT owner FROM sync_lock WHERE sync_id = 'people-upsert'", String.class))
                .as("the other process's lease is left alone").isEqualTo("another-process");
        state.lease().unlock("people-upsert", "another-process");
        assertThat(run("people-upsert").status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(state.deliveredCount("people-upsert")).isEqualTo(20);
    }

    @Test
    void aRunWhoseLeaseAnotherProcessTookAndGaveBackDoesNotTakeItAgain() throws Exception {
        org.springframework.jdbc.core.JdbcTemplate stateDb = new org.springframework.jdbc.core.JdbcTemplate(stateDataSource);

        runWithAShortLease(() -> {
            // this run stalled past its lease; another process took it, ran the sync and gave the lease back
            stateDb.update("DELETE FROM sync_lock WHERE sync_id = 'people-upsert'");
            Thread.sleep(400);
        });

        assertThat(stateDb.queryForObject("SELECT COUNT(*) FROM sync_lock WHERE sync_id = 'people-upsert'", Integer.class))
                .as("not taken again by the stalled run").isZero();
        assertThat(run("people-upsert").status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(state.deliveredCount("people-upsert")).isEqualTo(20);
    }

    @Test
    void aRunThatCannotRenewItsLeaseForAWholeLeaseSendsNoMore() throws Exception {
        try (java.sql.Connection blocker = stateDataSource.getConnection()) {
            runWithAShortLease(() -> {
                // the renewals hang (a state store that stopped answering): none succeeds for longer than a lease
                blocker.setAutoCommit(false);
                try (java.sql.Statement s = blocker.createStatement()) {
                    s.executeQuery("SELECT * FROM sync_lock WHERE sync_id = 'people-upsert' FOR UPDATE").close();
                }
                Thread.sleep(700);
                // the store answers again just after the destination does (the run's last act, unlocking, waits for it)
                CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(300);
                        blocker.rollback();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            });
        }
        assertThat(run("people-upsert").status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(state.deliveredCount("people-upsert")).isEqualTo(20);
    }

    @Test
    void twoTriggersRacingRunTheSyncOnce() throws Exception {
        for (int i = 0; i < 50; i++) {
            person("u" + i, "P" + i, "+44" + i);
        }
        sandbox.failNext(429, Map.of("Retry-After", "1"));
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<java.util.Optional<RunRecord>> a = CompletableFuture.supplyAsync(() -> await(go, "people-upsert"));
        CompletableFuture<java.util.Optional<RunRecord>> b = CompletableFuture.supplyAsync(() -> await(go, "people-upsert"));
        go.countDown();

        long ran = java.util.stream.Stream.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS))
                .filter(java.util.Optional::isPresent).count();

        assertThat(ran).isEqualTo(1);
        assertThat(sandbox.accepted()).hasSize(50);
    }

    private java.util.Optional<RunRecord> await(CountDownLatch go, String routeId) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return trigger.run(routeId);
    }

    @Test
    void editingTheMappingChangesEveryFingerprint() {
        Map<String, Object> row = Map.of("user_id", "u1", "name", "Ada");
        assertThat(new RowFingerprint("mapping v1").of(row)).isNotEqualTo(new RowFingerprint("mapping v2").of(row));
        assertThat(new RowFingerprint("mapping v1").of(row)).isEqualTo(new RowFingerprint("mapping v1").of(row));
    }
}
