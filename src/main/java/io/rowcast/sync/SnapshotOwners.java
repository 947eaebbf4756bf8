package io.rowcast.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Which sync each warehouse snapshot table belongs to ({@code rowcast.owners}, beside the snapshots). A
 * table name keeps only letters, digits and underscores of the sync id, lower-cased, so {@code people-eu}
 * and {@code People_EU} would share one snapshot: each would take the other's rows for removed ones (and
 * mirror would delete them). The first sync to use a name owns it; another is refused by name.
 */
final class SnapshotOwners {

    private SnapshotOwners() { }

    /** Records {@code syncId} as the owner of {@code schema.table}, or fails if another sync owns it. */
    static void claim(DataSource warehouse, String schema, String table, String syncId) throws SQLException {
        String owners = schema + ".owners";
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("CREATE TABLE IF NOT EXISTS " + owners + " (snapshot_table VARCHAR(200) PRIMARY KEY, sync_id VARCHAR(1000) NOT NULL)");
            Optional<String> owner = owner(c, owners, table);
            if (owner.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + owners + " (snapshot_table, sync_id) VALUES (?, ?)")) {
                    ps.setString(1, table);
                    ps.setString(2, syncId);
                    ps.executeUpdate();
                    return;
                } catch (SQLException raced) {
                    owner = owner(c, owners, table);   // another process claimed it meanwhile
                    if (owner.isEmpty()) {
                        throw raced;
                    }
                }
            }
            if (!owner.get().equals(syncId)) {
                throw new IllegalArgumentException("sync '" + syncId + "' would share the warehouse snapshot " + schema + "."
                        + table + " with sync '" + owner.get() + "' (snapshot names keep only the letters, digits and"
                        + " underscores of a sync id, lower-cased); rename one of the two routes. If sync '" + owner.get()
                        + "' is gone for good, release the name in the warehouse: DROP TABLE " + schema + "." + table
                        + "; DELETE FROM " + owners + " WHERE snapshot_table = '" + table + "'");
            }
        }
    }

    private static Optional<String> owner(Connection c, String owners, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sync_id FROM " + owners + " WHERE snapshot_table = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
