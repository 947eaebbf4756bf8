package io.rowcast.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.rowcast.warehouse.RowCursor;
import io.rowcast.warehouse.dialect.WarehouseDialect;

/**
 * The in-warehouse engine ({@code state: warehouse}), as Castled and Hightouch's Lightning do it: a
 * snapshot table per sync in the warehouse's {@code rowcast} schema holds each delivered row's key and
 * fingerprint, the diff runs in the warehouse as one full outer join, and only added, changed and removed
 * rows leave it. The snapshot moves forward only for rows the destination accepted, batch by batch.
 */
final class WarehouseSnapshot {

    static final String SCHEMA = "rowcast";
    static final String KEY = "rowcast_key";
    static final String FINGERPRINT = "rowcast_fp";
    static final String PREVIOUS_KEY = "rowcast_prev_key";

    private final DataSource warehouse;
    private final WarehouseDialect dialect;
    private final String table;

    WarehouseSnapshot(DataSource warehouse, String syncId) {
        this.warehouse = warehouse;
        this.dialect = WarehouseDialect.of(warehouse);
        this.table = "snapshot_" + syncId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    void ensure() throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            for (String ddl : dialect.createSnapshot(SCHEMA, table)) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            throw new SQLException("state: warehouse needs to create schema " + SCHEMA + " and table " + SCHEMA + "." + table
                    + " in the warehouse; grant the Rowcast user CREATE there (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refills an empty snapshot from the state store, whose ledger holds the fingerprint of every version the
     * destination has. A snapshot is empty on a sync's first run (nothing to copy), after a crash or failover of
     * a warehouse that keeps it unlogged, or after someone dropped it: without this, every row would be sent
     * again (and an insert-mode sync would duplicate its events). Returns how many rows were restored.
     */
    long restoreIfEmpty(io.rowcast.state.StateStore state, String syncId) throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT 1 FROM " + SCHEMA + "." + table + " LIMIT 1")) {
            if (rs.next()) {
                return 0;
            }
        }
        long[] restored = {0};
        List<String> keys = new java.util.ArrayList<>();
        List<Long> fingerprints = new java.util.ArrayList<>();
        try (Connection c = warehouse.getConnection()) {
            state.forEachDeliveredFingerprint(syncId, (key, fingerprint) -> {
                keys.add(key);
                fingerprints.add(fingerprint);
                if (keys.size() == 10_000) {
                    restored[0] += restore(c, keys, fingerprints);
                }
            });
            restored[0] += restore(c, keys, fingerprints);
        }
        return restored[0];
    }

    private int restore(Connection c, List<String> keys, List<Long> fingerprints) {
        int n = keys.size();
        if (n > 0) {
            try {
                dialect.upsertSnapshot(c, SCHEMA, table, keys, fingerprints);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not restore the warehouse snapshot " + SCHEMA + "." + table
                        + " from the state store: " + e.getMessage(), e);
            }
            keys.clear();
            fingerprints.clear();
        }
        return n;
    }

    /**
     * The model's added and changed rows (with their key text and fingerprint) and the removed rows (only
     * {@value #PREVIOUS_KEY} set): everything else stays in the warehouse.
     */
    String diffQuery(String model, List<String> keyColumns, long seed) {
        return "SELECT d.*, s.row_key AS " + PREVIOUS_KEY
                + " FROM (SELECT m.*, " + dialect.keyText(keyColumns, "m") + " AS " + KEY + ", "
                + dialect.fingerprint("m", seed) + " AS " + FINGERPRINT + " FROM (" + model + ") m) d"
                + " FULL OUTER JOIN " + SCHEMA + "." + table + " s ON s.row_key = d." + KEY
                + " WHERE d." + KEY + " IS NULL OR s.row_key IS NULL OR s.fingerprint <> d." + FINGERPRINT;
    }

    /**
     * Opens the diff: it is first materialised in a table (so the warehouse may plan the join in parallel,
     * which it will not do for a cursor), the model's duplicate keys among the keys to send are found, and
     * then the table is streamed. The table is created in the cursor's transaction and goes with its rollback.
     */
    RowCursor openDiff(String model, List<String> keyColumns, long seed, int fetchSize, boolean checkDuplicates,
                       java.util.Set<String> duplicateKeys) throws SQLException {
        String diff = dialect.diffTable(SCHEMA, table);
        return RowCursor.open(warehouse, c -> {
            try (Statement s = c.createStatement()) {
                for (String setting : dialect.diffSettings()) {
                    s.execute(setting);
                }
                s.execute(dialect.createDiffTable(diff, diffQuery(model, keyColumns, seed)));
                if (checkDuplicates) {
                    // only keys that would be sent matter, and a duplicate's twin may be unchanged (so not in the
                    // diff): count the model's rows of each key the diff holds, joined on the key columns themselves
                    // so that a model reading a table can use the table's key index
                    String join = keyColumns.stream().map(k -> "m." + k + " = d." + k).collect(java.util.stream.Collectors.joining(" AND "));
                    try (java.sql.ResultSet rs = s.executeQuery("SELECT d." + KEY + " FROM " + diff + " d JOIN (" + model
                            + ") m ON " + join + " GROUP BY d." + KEY + " HAVING COUNT(*) > 1")) {
                        while (rs.next()) {
                            duplicateKeys.add(rs.getString(1));
                        }
                    }
                }
            }
        }, "SELECT * FROM " + diff, fetchSize);
    }

    /** Records accepted rows in the snapshot: (key text, fingerprint) pairs, and drops the deleted ones. */
    void commit(Collection<BatchItem> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        List<String> keys = new java.util.ArrayList<>(accepted.size());
        List<Long> fingerprints = new java.util.ArrayList<>(accepted.size());
        List<String> deleted = new java.util.ArrayList<>();
        for (BatchItem item : accepted) {
            if (item.change() == Change.REMOVED) {
                deleted.add(item.key());
            } else {
                keys.add(String.valueOf(item.row().get(KEY)));
                fingerprints.add(item.fingerprint());
            }
        }
        try (Connection c = warehouse.getConnection()) {
            if (!keys.isEmpty()) {
                dialect.upsertSnapshot(c, SCHEMA, table, keys, fingerprints);
            }
            if (!deleted.isEmpty()) {
                try (PreparedStatement delete = c.prepareStatement(dialect.deleteFromSnapshot(SCHEMA, table))) {
                    for (String key : deleted) {
                        delete.setString(1, key);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update the warehouse snapshot " + SCHEMA + "." + table + ": "
                    + e.getMessage(), e);
        }
    }

    /** Forgets everything (resync). */
    void drop() {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            s.execute(dialect.dropSnapshot(SCHEMA, table));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the warehouse snapshot " + SCHEMA + "." + table + ": "
                    + e.getMessage(), e);
        }
    }

    static boolean isRemoved(java.util.Map<String, Object> row) {
        return row.get(FINGERPRINT) == null && row.get(PREVIOUS_KEY) != null;
    }
}
