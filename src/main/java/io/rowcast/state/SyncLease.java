package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
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
     * Takes the sync's lease for {@code owner} for {@code length}: free, expired, or already ours. The lease row
     * makes one sync run at most once at a time across every process sharing the store. Times are the state
     * store's, so processes whose clocks disagree still agree on when a lease runs out.
     */
    public boolean tryLock(String syncId, String owner, Duration length) {
        try (Connection c = dataSource.getConnection()) {
            Instant now = now(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_lock SET owner = ?, expires_at = ? WHERE sync_id = ? AND (expires_at < ? OR owner = ?)")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, Timestamp.from(now.plus(length)));
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
                ps.setTimestamp(3, Timestamp.from(now.plus(length)));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false;   // another process holds it (unique key on sync_id)
                }
                throw e;   // not "in progress": a sync id too long, the connection lost... must say what it is
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not take the lock of " + syncId, e);
        }
    }

    /**
     * Extends {@code owner}'s lease by {@code length}, only if the lease row is still its own: a lease that another
     * process took (and may have given back since, deleting the row) is not taken again, since that process may
     * have run the sync meanwhile. False when the lease is no longer {@code owner}'s.
     */
    public boolean renew(String syncId, String owner, Duration length) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sync_lock SET expires_at = ? WHERE sync_id = ? AND owner = ?")) {
            ps.setTimestamp(1, Timestamp.from(now(c).plus(length)));
            ps.setString(2, syncId);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StateStoreException("Could not renew the lock of " + syncId, e);
        }
    }

    private static Instant now(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    public void unlock(String syncId, String owner) {
        StateSql.update(dataSource, "DELETE FROM sync_lock WHERE sync_id = ? AND owner = ?", syncId, owner);
    }
}
