package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import io.rowcast.state.StateStore.StateStoreException;

/** The lease of a running sync ({@code sync_lock}), shared by every process using the state store. */
public final class SyncLease {

    private final DataSource dataSource;

    SyncLease(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes the sync's lease for {@code owner} until {@code expiresAt}: free, expired, or already ours.
     * The lease row makes one sync run at most once at a time across every process sharing the store.
     */
    public boolean tryLock(String syncId, String owner, Instant now, Instant expiresAt) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_lock SET owner = ?, expires_at = ? WHERE sync_id = ? AND (expires_at < ? OR owner = ?)")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, Timestamp.from(expiresAt));
                ps.setString(3, syncId);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setString(5, owner);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_lock (sync_id, owner, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, syncId);
                ps.setString(2, owner);
                ps.setTimestamp(3, Timestamp.from(expiresAt));
                ps.executeUpdate();
                return true;
            } catch (SQLException taken) {
                return false;   // another process holds it (unique key on sync_id)
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not take the lock of " + syncId, e);
        }
    }

    public void unlock(String syncId, String owner) {
        StateSql.update(dataSource, "DELETE FROM sync_lock WHERE sync_id = ? AND owner = ?", syncId, owner);
    }
}
