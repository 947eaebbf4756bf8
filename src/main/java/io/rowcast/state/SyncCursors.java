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

/** Where each cursor-mode sync continues ({@code sync_cursor}). */
public final class SyncCursors {

    private final DataSource dataSource;

    SyncCursors(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<SavedCursor> cursor(String syncId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cursor_value, cursor_type FROM sync_cursor WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SavedCursor(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the cursor of " + syncId, e);
        }
    }

    public void saveCursor(String syncId, String value, String type) {
        if (value.length() > MAX_CURSOR_LENGTH) {
            throw new IllegalArgumentException("the cursor's value is " + value.length() + " characters; the state store keeps"
                    + " up to " + MAX_CURSOR_LENGTH + ": choose a cursor column of timestamps or numbers");
        }
        Timestamp now = Timestamp.from(Instant.now());
        if (StateSql.update(dataSource, "UPDATE sync_cursor SET cursor_value = ?, cursor_type = ?, updated_at = ? WHERE sync_id = ?",
                value, type, now, syncId) == 0) {
            StateSql.update(dataSource, "INSERT INTO sync_cursor (sync_id, cursor_value, cursor_type, updated_at) VALUES (?, ?, ?, ?)",
                    syncId, value, type, now);
        }
    }

    /** The longest cursor value {@code sync_cursor} keeps ({@code VARCHAR(200)}). */
    static final int MAX_CURSOR_LENGTH = 200;

    /** Where a cursor-mode sync continues from. */
    public record SavedCursor(String value, String type) { }
}
