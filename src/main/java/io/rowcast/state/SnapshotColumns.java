package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import io.rowcast.state.StateStore.StateStoreException;

/** The model's column names each warehouse snapshot was fingerprinted with ({@code sync_snapshot_columns}). */
public final class SnapshotColumns {

    private final DataSource dataSource;

    SnapshotColumns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The names, and the run that began sending every row again under them after a rename (0 when none did):
     * a row last sent before it has not reached the destination under these names.
     */
    public record Recorded(String names, long sinceRun) { }

    public Optional<Recorded> of(String syncId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT column_names, since_run_id FROM sync_snapshot_columns WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Recorded(rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the snapshot columns of " + syncId, e);
        }
    }

    public void save(String syncId, Recorded recorded) {
        Timestamp now = Timestamp.from(Instant.now());
        if (StateSql.update(dataSource, "UPDATE sync_snapshot_columns SET column_names = ?, since_run_id = ?, updated_at = ?"
                + " WHERE sync_id = ?", recorded.names(), recorded.sinceRun(), now, syncId) == 0) {
            StateSql.update(dataSource, "INSERT INTO sync_snapshot_columns (sync_id, column_names, since_run_id, updated_at)"
                    + " VALUES (?, ?, ?, ?)", syncId, recorded.names(), recorded.sinceRun(), now);
        }
    }
}
