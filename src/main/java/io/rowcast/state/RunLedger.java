package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.rowcast.state.StateStore.StateStoreException;
import io.rowcast.sync.RunCounter;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.RunStatus;

/** The run history of every sync ({@code sync_run}): one row per run, its counts, status and error. */
public final class RunLedger {

    private final DataSource dataSource;

    RunLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Marks the sync's runs still recorded as running as failed: called by a new run, which holds the sync's
     * lease, so their process stopped (killed or crashed) without finishing them.
     */
    public int abandonRuns(String syncId) {
        return StateSql.update(dataSource, "UPDATE sync_run SET status = ?, finished_at = ?, error = ? WHERE sync_id = ? AND status = ?",
                RunStatus.FAILED.value(), Timestamp.from(Instant.now()), "the process running it stopped before the run"
                        + " finished (killed or crashed); the next run sent again what it had not committed",
                syncId, RunStatus.RUNNING.value());
    }

    /**
     * When a run of the sync before {@code runId} failed after committing something (an outcome accepted or
     * refused), or its process stopped (what it committed is not known), after the latest run that committed
     * everything it sent (success or partial): that settled run's id (0 for none), since such a run may have
     * committed a batch to the ledger and not to a warehouse snapshot. Empty otherwise: a run that failed before
     * any outcome (the warehouse unreachable, say) left nothing to bring in line.
     */
    public java.util.OptionalLong unsettledSince(String syncId, long runId) {
        try (Connection c = dataSource.getConnection()) {
            long settled;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(run_id) FROM sync_run WHERE sync_id = ? AND run_id < ?"
                    + " AND status IN (?, ?)")) {
                ps.setString(1, syncId);
                ps.setLong(2, runId);
                ps.setString(3, RunStatus.SUCCESS.value());
                ps.setString(4, RunStatus.PARTIAL.value());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    settled = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sync_run WHERE sync_id = ? AND run_id > ?"
                    + " AND run_id < ? AND status = ? AND (duration_ms IS NULL OR accepted > 0 OR rejected > 0) LIMIT 1")) {
                ps.setString(1, syncId);
                ps.setLong(2, settled);
                ps.setLong(3, runId);
                ps.setString(4, RunStatus.FAILED.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.OptionalLong.of(settled) : java.util.OptionalLong.empty();
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the runs of " + syncId, e);
        }
    }

    /** Records a run's start; {@code engine} is its change detection: local, warehouse or cursor. */
    public long startRun(String syncId, String mode, String engine, Instant startedAt) {
        String sql = "INSERT INTO sync_run (sync_id, started_at, status, mode, engine) VALUES (?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, new String[] {"run_id"})) {
            ps.setString(1, syncId);
            ps.setTimestamp(2, Timestamp.from(startedAt));
            ps.setString(3, RunStatus.RUNNING.value());
            ps.setString(4, mode);
            ps.setString(5, engine);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not record the start of a run of " + syncId, e);
        }
    }

    /**
     * The change detection of the sync's last run before {@code runId} that recorded one; empty if none (runs
     * from before engines were recorded, and warehouse runs stopped before their snapshot was in step, have none).
     */
    public java.util.Optional<String> previousEngine(String syncId, long runId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT engine FROM sync_run WHERE sync_id = ? AND run_id < ? AND engine IS NOT NULL ORDER BY run_id DESC LIMIT 1")) {
            ps.setString(1, syncId);
            ps.setLong(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the runs of " + syncId, e);
        }
    }

    /** Records the run's change detection once it is sure (see {@link #previousEngine}). */
    public void recordEngine(long runId, String engine) {
        StateSql.update(dataSource, "UPDATE sync_run SET engine = ? WHERE run_id = ?", engine, runId);
    }

    public void finishRun(RunRecord run) {
        StringBuilder sql = new StringBuilder("UPDATE sync_run SET finished_at = ?, status = ?, error = ?, duration_ms = ?");
        for (RunCounter c : RunCounter.values()) {
            sql.append(", ").append(c.column()).append(" = ?");
        }
        sql.append(" WHERE run_id = ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setTimestamp(i++, Timestamp.from(run.finishedAt()));
            ps.setString(i++, run.status().value());
            ps.setString(i++, StateSql.clip(run.error()));
            ps.setLong(i++, run.durationMs());
            for (RunCounter counter : RunCounter.values()) {
                ps.setLong(i++, run.count(counter));
            }
            ps.setLong(i, run.runId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException("Could not record the end of run " + run.runId(), e);
        }
    }

    public List<RunRecord> runs(String syncId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT run_id, sync_id, mode, started_at, finished_at, status, error");
        for (RunCounter c : RunCounter.values()) {
            sql.append(", ").append(c.column());
        }
        sql.append(" FROM sync_run WHERE sync_id = ? ORDER BY run_id DESC LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, syncId);
            ps.setInt(2, limit);
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<RunCounter, Long> counts = new EnumMap<>(RunCounter.class);
                    int i = 8;
                    for (RunCounter counter : RunCounter.values()) {
                        counts.put(counter, rs.getLong(i++));
                    }
                    Timestamp finished = rs.getTimestamp(5);
                    runs.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            finished == null ? null : finished.toInstant(), RunStatus.of(rs.getString(6)), counts,
                            rs.getString(7)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the runs of " + syncId, e);
        }
    }
}
