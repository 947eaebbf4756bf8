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

    public Optional<String> of(String syncId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT column_names FROM sync_snapshot_columns WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the snapshot columns of " + syncId, e);
        }
    }

    public void save(String syncId, String columnNames) {
        Timestamp now = Timestamp.from(Instant.now());
        if (StateSql.update(dataSource, "UPDATE sync_snapshot_columns SET column_names = ?, updated_at = ? WHERE sync_id = ?",
                columnNames, now, syncId) == 0) {
            StateSql.update(dataSource, "INSERT INTO sync_snapshot_columns (sync_id, column_names, updated_at) VALUES (?, ?, ?)",
                    syncId, columnNames, now);
        }
    }
}
