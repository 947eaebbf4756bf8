package io.rowcast.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.rowcast.warehouse.dialect.WarehouseDialect;

/**
 * Which warehouse snapshots hold every row the ledger says was delivered ({@code rowcast.complete_snapshots},
 * beside the snapshots; its name cannot be a snapshot's, which all start {@code snapshot_}). On PostgreSQL
 * it is unlogged like the snapshots, so the crash or failover that empties them empties it too: a snapshot
 * that batches still in flight wrote a few rows into after such a crash is not empty, but is not listed as
 * whole either, and the next run restores it. A reset filling a snapshot from the model lists it only once done.
 */
final class SnapshotCompleteness {

    private SnapshotCompleteness() { }

    private static String table(String schema) {
        return schema + ".complete_snapshots";
    }

    /** Whether {@code snapshot} is listed as whole; not when the list does not exist yet. */
    static boolean isComplete(Connection c, String schema, String snapshot) throws SQLException {
        c.setAutoCommit(true);   // a failed read must not abort what follows
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table(schema) + " WHERE snapshot_table = ?")) {
            ps.setString(1, snapshot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException missing) {
            return false;
        }
    }

    /** Makes the list if there is none (another sync may make it meanwhile: then this CREATE fails, harmlessly). */
    static void ensureList(Connection c, WarehouseDialect dialect, String schema) {
        try (Statement s = c.createStatement()) {
            s.execute(dialect.createCompletionList(table(schema)));
        } catch (SQLException raced) {
            // made by another sync meanwhile, or not possible: the next write says which
        }
    }

    /** Lists {@code snapshot} as whole, in the connection's transaction. */
    static void markComplete(Connection c, String schema, String snapshot) throws SQLException {
        unmark(c, schema, snapshot);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(schema) + " (snapshot_table) VALUES (?)")) {
            ps.setString(1, snapshot);
            ps.executeUpdate();
        }
    }

    /** Takes {@code snapshot} off the list (about to be emptied, dropped or filled anew). */
    static void markIncomplete(Connection c, String schema, String snapshot) throws SQLException {
        if (isComplete(c, schema, snapshot)) {
            unmark(c, schema, snapshot);
        }
    }

    private static void unmark(Connection c, String schema, String snapshot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table(schema) + " WHERE snapshot_table = ?")) {
            ps.setString(1, snapshot);
            ps.executeUpdate();
        }
    }
}
