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
    static void claim(DataSource warehouse, String schema, String table, String syncId) {
        String owners = schema + ".owners";
        try (Connection c = warehouse.getConnection()) {
            Optional<String> owner = ownerMaking(c, schema, table);
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
            refuseOther(schema, table, syncId, owner.get());
        } catch (SQLException e) {
            throw new IllegalStateException("state: warehouse could not read or create " + owners + " in the warehouse ("
                    + e.getMessage() + "); if the Rowcast user lacks the right, grant it CREATE on schema " + schema, e);
        }
    }

    /** Fails if a sync other than {@code syncId} owns {@code schema.table} (so a resync must not drop it). */
    static void requireOwnedBy(DataSource warehouse, String schema, String table, String syncId) {
        try (Connection c = warehouse.getConnection()) {
            Optional<String> owner = owner(c, schema + ".owners", table);
            if (owner.isPresent()) {
                refuseOther(schema, table, syncId, owner.get());
            }
        } catch (SQLException noOwners) {
            // no owners table: a snapshot made before owners were kept, the sync's own
        }
    }

    private static void refuseOther(String schema, String table, String syncId, String owner) {
        if (!owner.equals(syncId)) {
            throw new IllegalArgumentException("sync '" + syncId + "' would share the warehouse snapshot " + schema + "."
                    + table + " with sync '" + owner + "' (snapshot names keep only the letters, digits and underscores"
                    + " of a sync id, lower-cased); rename one of the two routes. If sync '" + owner + "' is gone for good,"
                    + " release the name in the warehouse: DROP TABLE " + schema + "." + table + "; DELETE FROM " + schema
                    + ".owners WHERE snapshot_table = '" + table + "'");
        }
    }

    /**
     * The table's owner, making the owners table first if there is none. Read first: the CREATEs need rights
     * (on the database, for the schema) that a user granted CREATE on schema {@code rowcast} alone lacks; and a
     * CREATE that fails because another sync made the table meanwhile is followed by a second read.
     */
    private static Optional<String> ownerMaking(Connection c, String schema, String table) throws SQLException {
        String owners = schema + ".owners";
        c.setAutoCommit(true);   // a failed read must not abort what follows
        try {
            return owner(c, owners, table);
        } catch (SQLException missing) {
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = c.getMetaData().getSchemas(null, schema)) {
                    if (!rs.next()) {
                        s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                    }
                }
                s.execute("CREATE TABLE IF NOT EXISTS " + owners
                        + " (snapshot_table VARCHAR(200) PRIMARY KEY, sync_id VARCHAR(1000) NOT NULL)");
            } catch (SQLException raced) {
                // made by another sync meanwhile, or truly not possible: the read says which
            }
            return owner(c, owners, table);
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
