package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import io.rowcast.sync.RunRecord;
import io.rowcast.sync.RunStatus;
import org.flywaydb.core.Flyway;

/**
 * The JDBC state store: run history ({@code sync_run}), the latest state of every row
 * ({@code sync_row}) and every rejection ({@code sync_row_rejection}). Its schema is owned by
 * the Flyway migrations in {@code db/state}.
 */
public class StateStore {

    private static final int MAX_TEXT = 4000;

    private final DataSource dataSource;
    private final boolean postgres;

    public StateStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.postgres = productName(dataSource).toLowerCase().contains("postgres");
    }

    /** Brings the schema up to date; safe to call from several processes at once. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/state")
                .table("rowcast_schema_history")
                .load()
                .migrate();
    }

    public long startRun(String syncId, Instant startedAt) {
        String sql = "INSERT INTO sync_run (sync_id, started_at, status) VALUES (?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, new String[] {"run_id"})) {
            ps.setString(1, syncId);
            ps.setTimestamp(2, Timestamp.from(startedAt));
            ps.setString(3, RunStatus.RUNNING.value());
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not record the start of a run of " + syncId, e);
        }
    }

    public void finishRun(RunRecord run) {
        String sql = "UPDATE sync_run SET finished_at = ?, status = ?, rows_read = ?, rows_skipped = ?, records_sent = ?,"
                + " accepted = ?, rejected = ?, unsent = ?, error = ? WHERE run_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(run.finishedAt()));
            ps.setString(2, run.status().value());
            ps.setLong(3, run.rowsRead());
            ps.setLong(4, run.rowsSkipped());
            ps.setLong(5, run.recordsSent());
            ps.setLong(6, run.accepted());
            ps.setLong(7, run.rejected());
            ps.setLong(8, run.unsent());
            ps.setString(9, clip(run.error()));
            ps.setLong(10, run.runId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException("Could not record the end of run " + run.runId(), e);
        }
    }

    /** The keys among {@code keys} that an earlier run already delivered. */
    public Set<String> deliveredAmong(String syncId, Collection<String> keys) {
        Set<String> delivered = new HashSet<>();
        if (keys.isEmpty()) {
            return delivered;
        }
        String sql = "SELECT row_key FROM sync_row WHERE sync_id = ? AND status = 'delivered' AND row_key IN ("
                + String.join(",", java.util.Collections.nCopies(keys.size(), "?")) + ")";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, syncId);
            int i = 2;
            for (String key : keys) {
                ps.setString(i++, key);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    delivered.add(rs.getString(1));
                }
            }
            return delivered;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the delivered keys of " + syncId, e);
        }
    }

    /** Commits one batch's outcomes in one transaction: accepted keys are delivered, rejections are kept with their reason. */
    public void recordOutcomes(String syncId, long runId, Collection<String> acceptedKeys, Collection<Rejection> rejections) {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!acceptedKeys.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(upsertRow(false))) {
                        for (String key : acceptedKeys) {
                            bindRow(ps, syncId, key, "delivered", null, null, runId, now);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!rejections.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(upsertRow(true))) {
                        for (Rejection r : rejections) {
                            bindRow(ps, syncId, r.key(), "rejected", r.code(), clip(r.reason()), runId, now);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_row_rejection"
                            + " (run_id, sync_id, row_key, code, reason, rejected_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                        for (Rejection r : rejections) {
                            ps.setLong(1, runId);
                            ps.setString(2, syncId);
                            ps.setString(3, r.key());
                            ps.setString(4, r.code());
                            ps.setString(5, clip(r.reason()));
                            ps.setTimestamp(6, now);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not record the outcomes of a batch of run " + runId, e);
        }
    }

    public List<RunRecord> runs(String syncId, int limit) {
        String sql = "SELECT run_id, sync_id, started_at, finished_at, status, rows_read, rows_skipped, records_sent,"
                + " accepted, rejected, unsent, error FROM sync_run WHERE sync_id = ? ORDER BY run_id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, syncId);
            ps.setInt(2, limit);
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp finished = rs.getTimestamp(4);
                    runs.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            finished == null ? null : finished.toInstant(), RunStatus.of(rs.getString(5)),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                            rs.getString(12)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the runs of " + syncId, e);
        }
    }

    /** Rows of a sync whose latest attempt was rejected, with the reason. */
    public List<RowState> rejectedRows(String syncId) {
        String sql = "SELECT row_key, status, attempts, last_code, last_error, last_run_id FROM sync_row"
                + " WHERE sync_id = ? AND status <> 'delivered' ORDER BY row_key";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, syncId);
            List<RowState> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RowState(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the rejected rows of " + syncId, e);
        }
    }

    public long deliveredCount(String syncId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT COUNT(*) FROM sync_row WHERE sync_id = ? AND status = 'delivered'")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not count the delivered rows of " + syncId, e);
        }
    }

    /** Upsert of one {@code sync_row}; a rejection counts an attempt, a delivery resets the count. */
    private String upsertRow(boolean rejection) {
        String attempts = rejection ? "sync_row.attempts + 1" : "0";
        if (postgres) {
            return "INSERT INTO sync_row (sync_id, row_key, status, last_code, last_error, last_run_id, updated_at, attempts)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, " + (rejection ? 1 : 0) + ")"
                    + " ON CONFLICT (sync_id, row_key) DO UPDATE SET status = EXCLUDED.status,"
                    + " last_code = EXCLUDED.last_code, last_error = EXCLUDED.last_error,"
                    + " last_run_id = EXCLUDED.last_run_id, updated_at = EXCLUDED.updated_at, attempts = " + attempts;
        }
        return "MERGE INTO sync_row USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
                + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE)))"
                + " AS v (sync_id, row_key, status, last_code, last_error, last_run_id, updated_at)"
                + " ON sync_row.sync_id = v.sync_id AND sync_row.row_key = v.row_key"
                + " WHEN MATCHED THEN UPDATE SET status = v.status, last_code = v.last_code, last_error = v.last_error,"
                + " last_run_id = v.last_run_id, updated_at = v.updated_at, attempts = " + attempts
                + " WHEN NOT MATCHED THEN INSERT (sync_id, row_key, status, last_code, last_error, last_run_id, updated_at, attempts)"
                + " VALUES (v.sync_id, v.row_key, v.status, v.last_code, v.last_error, v.last_run_id, v.updated_at, "
                + (rejection ? 1 : 0) + ")";
    }

    private static void bindRow(PreparedStatement ps, String syncId, String key, String status, String code,
                                String error, long runId, Timestamp now) throws SQLException {
        ps.setString(1, syncId);
        ps.setString(2, key);
        ps.setString(3, status);
        ps.setString(4, code);
        ps.setString(5, error);
        ps.setLong(6, runId);
        ps.setTimestamp(7, now);
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    private static String productName(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new StateStoreException("Cannot reach the state store (rowcast.state.url): " + e.getMessage(), e);
        }
    }

    /** A row the mapping or the destination refused. */
    public record Rejection(String key, String code, String reason) { }

    /** The latest state of one row, as served to users investigating failures. */
    public record RowState(String key, String status, int attempts, String code, String error, long lastRunId) { }

    public static class StateStoreException extends RuntimeException {
        public StateStoreException(String message, Throwable cause) { super(message + ": " + cause.getMessage(), cause); }
    }
}
