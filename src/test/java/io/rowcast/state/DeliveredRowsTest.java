package io.rowcast.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.state.StateStore.Delivery;
import io.rowcast.sync.Change;
import io.rowcast.testing.TestStateStores;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Recording deliveries and reading them back, on both state stores (embedded H2 and PostgreSQL). */
class DeliveredRowsTest {

    private static final String SYNC = "orders";

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void aKeyDeliveredTwiceInOneBatchKeepsItsLastVersion(String store) {
        try (HikariDataSource ds = dataSource(store)) {
            StateStore state = fresh(ds);
            long run = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());

            state.recordOutcomes(SYNC, run, List.of(new Delivery("a", Change.ADDED, 1), new Delivery("b", Change.ADDED, 2),
                    new Delivery("a", Change.ADDED, 3)), List.of(), 3);

            Map<String, Long> delivered = new HashMap<>();
            state.forEachDeliveredFingerprint(SYNC, delivered::put);
            assertThat(delivered).containsExactlyInAnyOrderEntriesOf(Map.of("a", 3L, "b", 2L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void everyDeliveredRowIsReadOnce(String store) {
        try (HikariDataSource ds = dataSource(store)) {
            StateStore state = fresh(ds);
            long run = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            for (int from = 0; from < 25_001; from += 5000) {
                List<Delivery> batch = new ArrayList<>();
                for (int i = from; i < Math.min(25_001, from + 5000); i++) {
                    batch.add(new Delivery("k" + i, Change.ADDED, i));
                }
                state.recordOutcomes(SYNC, run, batch, List.of(), 3);
            }

            Map<String, Long> seen = new HashMap<>();
            List<String> order = new ArrayList<>();
            state.forEachDeliveredFingerprint(SYNC, (key, fingerprint) -> {
                seen.put(key, fingerprint);
                order.add(key);
            });

            assertThat(order).as("more than one fetch of 10,000, none twice").hasSize(25_001).doesNotHaveDuplicates();
            assertThat(seen).containsEntry("k0", 0L).containsEntry("k25000", 25_000L).containsEntry("k12345", 12_345L);
            assertThat(state.hasDeliveredRows(SYNC)).isTrue();
            assertThat(state.hasDeliveredRows("another")).isFalse();
        }
    }

    /**
     * On PostgreSQL a batch's commit says where each delivered row now is; a later delivery given that position
     * updates the row there, and one given a stale position (the row moved, or another key is there) by its key.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void deliveriesUpdateTheirRowWhereTheyWereToldItIs(String store) {
        try (HikariDataSource ds = dataSource(store)) {
            StateStore state = fresh(ds);
            JdbcTemplate sql = new JdbcTemplate(ds);
            long run = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            Map<String, String> first = state.recordOutcomes(SYNC, run, 1, false,
                    List.of(new Delivery("a", Change.ADDED, 1), new Delivery("b", Change.ADDED, 2), new Delivery("c", Change.ADDED, 3)),
                    List.of(), 3);
            if (store.equals("h2")) {
                assertThat(first).as("positions are PostgreSQL's").isEmpty();
                return;
            }
            assertThat(first).isEqualTo(positions(sql));
            sql.update("UPDATE sync_row SET attempts = 0 WHERE row_key = 'c'");   // c moves on

            Map<String, String> second = state.recordOutcomes(SYNC, run, 2, false, List.of(
                    new Delivery("b", Change.CHANGED, 12, first.get("a")),       // a's place, not b's
                    new Delivery("c", Change.CHANGED, 13, first.get("c")),       // c's old place
                    new Delivery("d", Change.ADDED, 14, null)), List.of(), 3);
            assertThat(second).hasSize(3);
            Map<String, String> third = state.recordOutcomes(SYNC, run, 3, false,
                    List.of(new Delivery("a", Change.CHANGED, 11, first.get("a"))), List.of(), 3);

            Map<String, Long> delivered = new HashMap<>();
            state.forEachDeliveredFingerprint(SYNC, delivered::put);
            assertThat(delivered).containsExactlyInAnyOrderEntriesOf(Map.of("a", 11L, "b", 12L, "c", 13L, "d", 14L));
            Map<String, String> now = positions(sql);
            assertThat(third).containsExactly(Map.entry("a", now.get("a")));
            assertThat(second).containsEntry("b", now.get("b")).containsEntry("c", now.get("c")).containsEntry("d", now.get("d"));
        }
    }

    /** A delivery told where its row is needs no lookup by key: it is recorded even with sync_row's key index gone. */
    @org.junit.jupiter.api.Test
    void aDeliveryToldWhereItsRowIsNeedsNoKeyIndex() {
        try (HikariDataSource ds = dataSource("postgres")) {
            StateStore state = fresh(ds);
            JdbcTemplate sql = new JdbcTemplate(ds);
            long run = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            Map<String, String> first = state.recordOutcomes(SYNC, run, 1, false,
                    List.of(new Delivery("a", Change.ADDED, 1), new Delivery("b", Change.ADDED, 2)), List.of(), 3);
            sql.execute("ALTER TABLE sync_row DROP CONSTRAINT sync_row_pkey");
            try {
                state.recordOutcomes(SYNC, run, 2, false, List.of(new Delivery("a", Change.CHANGED, 11, first.get("a"))),
                        List.of(), 3);
            } finally {
                sql.execute("ALTER TABLE sync_row ADD PRIMARY KEY (sync_id, row_key)");
            }
            Map<String, Long> delivered = new HashMap<>();
            state.forEachDeliveredFingerprint(SYNC, delivered::put);
            assertThat(delivered).containsExactlyInAnyOrderEntriesOf(Map.of("a", 11L, "b", 2L));
        }
    }

    /** Where each row of the sync is, as PostgreSQL says. */
    private static Map<String, String> positions(JdbcTemplate sql) {
        Map<String, String> at = new HashMap<>();
        sql.query("SELECT row_key, CAST(ctid AS text) FROM sync_row WHERE sync_id = ?", rs -> {
            at.put(rs.getString(1), rs.getString(2));
        }, SYNC);
        return at;
    }

    private static StateStore fresh(HikariDataSource ds) {
        StateStore state = new StateStore(ds);
        state.migrate();
        new JdbcTemplate(ds).execute("TRUNCATE TABLE sync_row");
        return state;
    }

    private HikariDataSource dataSource(String store) {
        return TestStateStores.dataSource(store, dir, "delivered_rows");
    }
}
