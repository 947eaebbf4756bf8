package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.config.DataSourcesConfig;
import io.rowcast.config.RowcastProperties;
import io.rowcast.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** The engine contract on PostgreSQL. */
class PostgresEnginesTest extends EngineContractTest {
    @Override
    HikariDataSource warehouse(Path dir) {
        RowcastProperties props = new RowcastProperties();
        props.setDataDir(dir.toString());
        props.getWarehouse().setUrl(TestPostgres.url("engines"));
        props.getWarehouse().setUsername("postgres");
        props.getWarehouse().setPassword("postgres");
        return new DataSourcesConfig().warehouseDataSource(props);
    }

    /** CREATE on schema rowcast is all the warehouse engine needs there: no CREATE on the database, even for its first run. */
    @Test
    void aUserAllowedToCreateInSchemaRowcastAloneRunsTheWarehouseEngine() {
        sql.execute("CREATE SCHEMA rowcast");
        sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rowcast_limited') THEN"
                + " CREATE ROLE rowcast_limited LOGIN PASSWORD 'limited'; END IF; END $$");
        sql.execute("REVOKE CREATE ON DATABASE engines FROM PUBLIC");
        sql.execute("GRANT USAGE, CREATE ON SCHEMA rowcast TO rowcast_limited");
        sql.execute("GRANT SELECT ON people TO rowcast_limited");
        assertThat(sql.queryForObject("SELECT has_database_privilege('rowcast_limited', current_database(), 'CREATE')",
                Boolean.class)).as("no CREATE on the database").isFalse();
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        RowcastProperties props = new RowcastProperties();
        props.getWarehouse().setUrl(TestPostgres.url("engines"));
        props.getWarehouse().setUsername("rowcast_limited");
        props.getWarehouse().setPassword("limited");
        SyncSettings upsert = settings("people", "SELECT id, region, name, score FROM people", "id", SyncMode.UPSERT, true);
        try (HikariDataSource limited = new DataSourcesConfig().warehouseDataSource(props)) {
            RunRecord first = run(upsert, limited);
            assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(RunStatus.SUCCESS);
            assertThat(first.accepted()).isEqualTo(2);
            sql.update("UPDATE people SET score = 9.99 WHERE id = 2");
            assertThat(sent(run(upsert, limited))).containsExactly("2:changed");
        }
    }

    /**
     * Runs of the warehouse engine hold a connection for their diff and need another for each commit: with every
     * connection of the pool holding a diff, commits would wait out the pool's time-out. A run waits instead.
     */
    @Test
    void runsThatWouldTakeEveryConnectionOfThePoolWaitForOneAnother() throws Exception {
        sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
        RowcastProperties props = new RowcastProperties();
        props.getWarehouse().setUrl(TestPostgres.url("engines"));
        props.getWarehouse().setUsername("postgres");
        props.getWarehouse().setPassword("postgres");
        try (HikariDataSource pool = new DataSourcesConfig().warehouseDataSource(props)) {
            pool.setMaximumPoolSize(2);
            pool.setConnectionTimeout(5000);   // ample for a commit; without the limit, the diffs hold both for good
            java.util.concurrent.CountDownLatch bothSending = new java.util.concurrent.CountDownLatch(2);
            List<java.util.concurrent.CompletableFuture<RunRecord>> runs = java.util.stream.Stream.of("pool-a", "pool-b")
                    .map(id -> java.util.concurrent.CompletableFuture.supplyAsync(() -> new SyncRun(
                            settings(id, "SELECT id, region, name, score FROM people", "id", SyncMode.UPSERT, true), pool, state,
                            (batch, done) -> {
                                bothSending.countDown();
                                try {
                                    bothSending.await(3, java.util.concurrent.TimeUnit.SECONDS);   // each holding its diff
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                batch.items().forEach(item -> item.settle(io.rowcast.delivery.Outcome.accept()));
                                done.accept(null);
                            }, "mapping", false).execute()))
                    .toList();
            for (java.util.concurrent.CompletableFuture<RunRecord> run : runs) {
                RunRecord record = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(record.status()).as(String.valueOf(record.error())).isEqualTo(RunStatus.SUCCESS);
                assertThat(record.accepted()).isEqualTo(2);
            }
        }
    }

    /** PostgreSQL's numeric keeps the scale it was given: 1.0 and 1.00 are one key written two ways. */
    @Test
    void oneKeyWrittenTwoWaysIsKeptOnceAndDeletedAsLastSent() {
        sql.execute("DROP TABLE IF EXISTS amounts");
        sql.execute("CREATE TABLE amounts (amount NUMERIC, note TEXT)");
        sql.update("INSERT INTO amounts VALUES (1.0, 'a')");
        SyncSettings mirror = settings("amounts", "SELECT amount, note FROM amounts", "amount", SyncMode.MIRROR, true);
        run(mirror);
        sql.update("UPDATE amounts SET amount = 1.00, note = 'b'");
        run(mirror);
        assertThat(delivered).containsExactly("1.00:changed");
        assertThat(sql.queryForObject("SELECT CAST(amount AS TEXT) FROM rowcast.snapshot_amounts", String.class))
                .as("the snapshot keeps the text last sent").isEqualTo("1.00");

        // the ledger holds both 1.0 and 1.00: the restore must not refuse one value twice
        sql.execute("TRUNCATE rowcast.snapshot_amounts");
        assertThat(run(mirror).status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sent(run(mirror))).isEmpty();
        sql.update("DELETE FROM amounts");
        run(mirror);
        assertThat(delivered).singleElement().satisfies(d -> assertThat(d).endsWith(":removed"));
    }

    @Override
    void withoutSnapshotKey(Runnable run) {
        sql.execute("ALTER TABLE rowcast.snapshot_people DROP CONSTRAINT snapshot_people_pkey");
        try {
            run.run();
        } finally {
            sql.execute("ALTER TABLE rowcast.snapshot_people ADD PRIMARY KEY (id, region)");
        }
    }

    /**
     * Positions that went stale (the row's snapshot and ledger rows updated by someone else while its batch was
     * out) or were edited into no ctid at all: the row is recorded by key, and the snapshot learns where it now is.
     */
    @Test
    void stalePositionsAreRecordedByKey() {
        withPostgresLedger("engines_state", ledgerSql -> {
            sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
            SyncSettings upsert = settings("people", "SELECT id, region, name, score FROM people", "id, region", SyncMode.UPSERT, true);
            run(upsert);
            sql.update("UPDATE people SET score = score + 1");
            refuse = item -> {
                if (item.key().startsWith("[\"1\"")) {
                    sql.update("UPDATE rowcast.snapshot_people SET rowcast_fp = rowcast_fp WHERE id = 1");
                    ledgerSql.update("UPDATE sync_row SET attempts = 0 WHERE row_key = ?", item.key());
                }
                return false;
            };
            assertThat(sent(run(upsert))).containsExactlyInAnyOrder("[\"1\",\"eu\"]:changed", "[\"2\",\"eu\"]:changed");
            refuse = item -> false;
            assertThat(snapshotLedgerPositions()).as("where each ledger row now is").isEqualTo(ledgerPositions(ledgerSql));
            assertThat(ledgerSql.queryForList("SELECT operation || ' ' || last_run_id FROM sync_row ORDER BY row_key", String.class))
                    .containsExactly("changed 2", "changed 2");
            assertThat(sent(run(upsert))).as("both rows' new fingerprints are in the snapshot").isEmpty();

            sql.update("UPDATE rowcast.snapshot_people SET rowcast_ledger_at = 'row 7'");
            sql.update("UPDATE people SET score = score + 1");
            assertThat(sent(run(upsert))).hasSize(2);
            assertThat(snapshotLedgerPositions()).isEqualTo(ledgerPositions(ledgerSql));
            assertThat(sent(run(upsert))).isEmpty();
        });
    }

    /** timetz, which the driver calls TIME, keeps its offset and fractions, as key and as restored snapshot key. */
    @Test
    void aTimeWithTimeZoneKeyKeepsItsOffsetAndFractions() {
        sql.execute("DROP TABLE IF EXISTS slots");
        sql.execute("CREATE TABLE slots (opens TIMETZ, room TEXT)");
        sql.update("INSERT INTO slots VALUES ('09:00:00.5+02', 'a'), ('09:00:00.5+03', 'b')");
        SyncSettings mirror = settings("slots", "SELECT opens, room FROM slots", "opens", SyncMode.MIRROR, true);
        run(mirror);
        assertThat(delivered).containsExactlyInAnyOrder("09:00:00.5+02:00:added", "09:00:00.5+03:00:added");
        sql.execute("TRUNCATE rowcast.snapshot_slots");
        assertThat(sent(run(mirror))).as("restored from the ledger").isEmpty();
        sql.update("DELETE FROM slots WHERE room = 'b'");
        run(mirror);
        assertThat(delivered).containsExactly("09:00:00.5+03:00:removed");
        assertThat(sent(run(mirror))).as("the delete left the snapshot").isEmpty();
    }

    /** The driver gives xml as an SQLXML object and time[] elements as java.sql.Time: both are compared by content. */
    @org.junit.jupiter.params.ParameterizedTest(name = "warehouse engine: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void xmlAndTimeArrayColumnsAreSentWhenTheyChangeAndOnlyThen(boolean warehouseEngine) {
        sql.execute("DROP TABLE IF EXISTS notes");
        sql.execute("CREATE TABLE notes (id INT, body XML, times TIME[])");
        sql.update("INSERT INTO notes VALUES (1, '<a/>', ARRAY['10:00:00.5'::time]), (2, '<b/>', ARRAY['11:00:00'::time])");
        assertSentWhenChangedAndOnlyThen(settings("notes", "SELECT id, body, times FROM notes", "id", SyncMode.UPSERT, warehouseEngine),
                List.of(1, 2), () -> {
                    sql.update("UPDATE notes SET times = ARRAY['10:00:00.6'::time] WHERE id = 1");
                    sql.update("UPDATE notes SET body = '<c/>' WHERE id = 2");
                }, List.of(1, 2));
    }

    @Override
    void createMoodType() {
        sql.execute("DROP TYPE IF EXISTS mood CASCADE");
        sql.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
    }

    /** A key of a type whose name needs quotes (an enum made as "Role", as Prisma makes them) is cast to that type. */
    @Test
    void aKeyOfAMixedCaseTypeIsCastToIt() {
        sql.execute("DROP TABLE IF EXISTS members");
        sql.execute("DROP TYPE IF EXISTS \"Role\" CASCADE");
        sql.execute("CREATE TYPE \"Role\" AS ENUM ('admin', 'member')");
        sql.execute("CREATE TABLE members (role \"Role\", note VARCHAR(10))");
        sql.update("INSERT INTO members VALUES ('admin', 'a'), ('member', 'b')");
        SyncSettings mirror = settings("members", "SELECT role, note FROM members", "role", SyncMode.MIRROR, true);
        RunRecord first = run(mirror);
        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(RunStatus.SUCCESS);
        sql.execute("TRUNCATE rowcast.snapshot_members");
        assertThat(sent(run(mirror))).as("restored from the ledger").isEmpty();
        sql.update("DELETE FROM members WHERE note = 'b'");
        run(mirror);
        assertThat(delivered).containsExactly("member:removed");
    }

    /** json, xml, money, geometric types and arrays of them have no hash function: such columns are hashed as text. */
    @Test
    void columnsOfTypesWithoutAHashFunctionAreFingerprintedByTheirText() {
        sql.execute("DROP TABLE IF EXISTS places");
        sql.execute("CREATE TABLE places (id INT, doc JSON, tags JSON[], spot POINT, fee MONEY, note XML, name TEXT)");
        sql.update("INSERT INTO places VALUES (1, '{\"a\": 1}', ARRAY['{}'::json], '(1,2)', 12.5, '<a/>', 'one'),"
                + " (2, '{\"a\": 2}', ARRAY['{}'::json], '(3,4)', 1, '<b/>', 'two'), (3, NULL, NULL, NULL, NULL, NULL, 'three')");
        assertSentWhenChangedAndOnlyThen(settings("places", "SELECT * FROM places", "id", SyncMode.UPSERT, true),
                List.of(1, 2, 3), () -> {
                    sql.update("UPDATE places SET doc = '{\"a\": 3}' WHERE id = 1");
                    sql.update("UPDATE places SET spot = '(3,5)' WHERE id = 2");
                    sql.update("UPDATE places SET fee = 2, note = '<c/>', tags = ARRAY['[]'::json] WHERE id = 3");
                }, List.of(1, 2, 3));
    }

    @Test
    void anAnonymousRecordColumnIsRefusedSayingWhatToCastItTo() {
        RunRecord run = run(settings("people", "SELECT id, ROW(id, name) AS pair FROM people", "id", SyncMode.UPSERT, true));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("'pair'", "anonymous record", "cast it to text or jsonb");
        RunRecord cast = run(settings("people", "SELECT id, CAST(ROW(id, name) AS text) AS pair FROM people", "id",
                SyncMode.UPSERT, true));
        assertThat(cast.status()).as(String.valueOf(cast.error())).isEqualTo(RunStatus.SUCCESS);
    }

    @Override
    String binaryType() {
        return "BYTEA";
    }

    @Override
    String createTwinKeys() {
        sql.execute("DROP TABLE IF EXISTS twins");
        sql.execute("CREATE TABLE twins (sku NUMERIC, label VARCHAR(20))");   // numeric keeps the scale it is given
        sql.update("INSERT INTO twins VALUES (7, 'seven'), (1.0, 'one'), (1.00, 'one again')");
        return "7";
    }
}
