package io.rowcast.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.state.StateStore.Delivery;
import io.rowcast.state.StateStore.Rejection;
import io.rowcast.sync.Change;
import io.rowcast.testing.TestStateStores;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saved rows a local-engine run loads: from a state image plus the rows changed since, always the
 * same as {@code sync_row} itself, on both state stores (embedded H2 and PostgreSQL).
 */
class SavedRowsTest {

    private static final String SYNC = "people";

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void anImagePlusTheRowsChangedSinceIsTheSavedState(String store) {
        try (HikariDataSource ds = dataSource(store)) {
            StateStore state = new StateStore(ds, 1000, 0.1);
            state.migrate();
            new JdbcTemplate(ds).execute("TRUNCATE TABLE sync_row");
            new JdbcTemplate(ds).execute("TRUNCATE TABLE sync_row_image");

            // 70,000 delivered rows (two image parts) and 5 rejected ones
            long first = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            for (int from = 0; from < 70_000; from += 1000) {
                List<Delivery> delivered = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    delivered.add(new Delivery("k" + i, Change.ADDED, i));
                }
                state.recordOutcomes(SYNC, first, delivered, List.of(), 3);
            }
            state.recordOutcomes(SYNC, first, List.of(), rejections("r0", "r1", "r2", "r3", "r4"), 3);
            assertThat(state.savedRows().compactIfStale(SYNC, first)).isTrue();
            assertThat(state.savedRows().image(SYNC)).isEqualTo(new SavedRows.Image(70_005, 0));
            assertSame(load(state), truth(ds));

            // a few changes: changed fingerprints, a delete, a rejected row accepted, a row turned dead
            long second = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            List<Delivery> delivered = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                delivered.add(new Delivery("k" + i, Change.CHANGED, 1_000_000 + i));
            }
            delivered.add(new Delivery("k20", Change.REMOVED, 0));
            delivered.add(new Delivery("r0", Change.ADDED, 42));
            // batches of a run that read the image add their rows to it, in their own transaction
            state.recordOutcomes(SYNC, second, 1, true, delivered, rejections("k30"), 3);
            state.recordOutcomes(SYNC, second, 2, true, List.of(), rejections("k31"), 1);
            long third = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            state.recordOutcomes(SYNC, third, 1, true, List.of(new Delivery("k0", Change.CHANGED, 7)), List.of(), 3);
            assertThat(state.savedRows().image(SYNC)).isEqualTo(new SavedRows.Image(70_005, 15));
            assertThat(state.savedRows().compactIfStale(SYNC, third)).as("15 changes stay below the threshold").isFalse();

            Map<Long, String> loaded = load(state);
            assertThat(visits).as("the base, then the batches' rows, newest last").isEqualTo(70_005 + 15);
            assertThat(loaded.get(io.rowcast.sync.RowFingerprint.keyHash("k0"))).isEqualTo("delivered:7");
            assertSame(loaded, truth(ds));
            assertThat(loaded.get(io.rowcast.sync.RowFingerprint.keyHash("k20"))).isEqualTo("deleted:null");
            assertThat(loaded.get(io.rowcast.sync.RowFingerprint.keyHash("k31"))).isEqualTo("dead:31");

            // reviving dead rows happens outside a run: the image goes, the rows stay the truth
            state.reviveDead(SYNC);
            assertThat(state.savedRows().image(SYNC)).isNull();
            Map<Long, String> revived = load(state);
            assertSame(revived, truth(ds));
            assertThat(revived).containsEntry(io.rowcast.sync.RowFingerprint.keyHash("k31"), "rejected:31");

            assertThat(state.savedRows().compactIfStale(SYNC, third)).as("a sync without a base gets one").isTrue();
            assertThat(state.savedRows().image(SYNC)).isEqualTo(new SavedRows.Image(70_005, 0));

            // a run of more batches than a part's number holds (2^24) cannot number their parts: the image goes
            long fourth = state.ledger().startRun(SYNC, "upsert", "local", Instant.now());
            state.recordOutcomes(SYNC, fourth, 1 << 24, true, List.of(new Delivery("k1", Change.CHANGED, 8)), List.of(), 3);
            assertThat(state.savedRows().image(SYNC)).isNull();
            assertThat(load(state)).containsEntry(io.rowcast.sync.RowFingerprint.keyHash("k1"), "delivered:8");
            state.forget(SYNC);
            assertThat(state.savedRows().image(SYNC)).isNull();
            assertThat(load(state)).isEmpty();
        }
    }

    private long visits;

    /** Equal maps, reporting only the differing entries (they have 70,000 entries). */
    private static void assertSame(Map<Long, String> loaded, Map<Long, String> truth) {
        Map<Long, String> wrong = new HashMap<>();
        truth.forEach((k, v) -> {
            if (!v.equals(loaded.get(k))) {
                wrong.put(k, "expected " + v + ", loaded " + loaded.get(k));
            }
        });
        loaded.keySet().stream().filter(k -> !truth.containsKey(k)).forEach(k -> wrong.put(k, "not saved: " + loaded.get(k)));
        assertThat(wrong).as("rows whose loaded state differs from sync_row").isEmpty();
        assertThat(loaded).hasSameSizeAs(truth);
    }

    /** What a run's planner sees: the last visit of each key wins. */
    private Map<Long, String> load(StateStore state) {
        Map<Long, String> rows = new HashMap<>();
        visits = 0;
        state.savedRows().load(SYNC, expected -> { }, (keyHash, status, fingerprint) -> {
            visits++;
            rows.put(keyHash, status + ":" + fingerprint);
        });
        return rows;
    }

    private static Map<Long, String> truth(DataSource ds) {
        Map<Long, String> rows = new HashMap<>();
        new JdbcTemplate(ds).query("SELECT key_hash, status, fingerprint FROM sync_row WHERE sync_id = ?", rs -> {
            long fp = rs.getLong(3);
            Long fingerprint = rs.wasNull() ? null : fp;
            rows.put(rs.getLong(1), rs.getString(2) + ":" + fingerprint);
        }, SYNC);
        return rows;
    }

    private static List<Rejection> rejections(String... keys) {
        List<Rejection> rejections = new ArrayList<>();
        for (String key : keys) {
            rejections.add(new Rejection(key, Change.ADDED, "TEST", "refused by the test"));
        }
        return rejections;
    }

    private HikariDataSource dataSource(String store) {
        return TestStateStores.dataSource(store, dir, "saved_rows");
    }
}
