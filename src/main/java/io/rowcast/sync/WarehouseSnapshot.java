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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarehouseSnapshot.class);

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
     * again (and an insert-mode sync would duplicate its events). One transaction, so a restore cut short
     * leaves the snapshot empty and the next run restores it whole. Returns how many rows were restored.
     */
    long restoreIfEmpty(io.rowcast.state.StateStore state, String syncId, String model, List<String> keyColumns)
            throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT 1 FROM " + SCHEMA + "." + table + " LIMIT 1")) {
            if (rs.next() || !state.hasDeliveredRows(syncId)) {
                return 0;
            }
        }
        String unlike = keyTypeWrittenDifferently(model, keyColumns);
        if (unlike != null) {
            LOG.warn("Sync {}: the warehouse snapshot {}.{} is empty, and cannot be restored from the state store: key"
                    + " column {} reads as other text in Rowcast than in the warehouse; every row is sent again as added",
                    syncId, SCHEMA, table, unlike);
            return 0;
        }
        long[] restored = {0};
        List<String> keys = new java.util.ArrayList<>();
        List<Long> fingerprints = new java.util.ArrayList<>();
        try (Connection c = warehouse.getConnection()) {
            c.setAutoCommit(false);
            try {
                state.forEachDeliveredFingerprint(syncId, (key, fingerprint) -> {
                    keys.add(key);
                    fingerprints.add(fingerprint);
                    if (keys.size() == 10_000) {
                        restored[0] += restore(c, keys, fingerprints);
                    }
                });
                restored[0] += restore(c, keys, fingerprints);
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        }
        return restored[0];
    }

    /**
     * The ledger keeps Rowcast's text of each key (the JDBC value as text), the snapshot the warehouse's
     * ({@code CAST AS TEXT}). They agree for integers, variable-length text and UUIDs; not for timestamps
     * ({@code T} or a space), floats or blank-padded CHAR. Returns the first key column they may disagree on.
     */
    private String keyTypeWrittenDifferently(String model, List<String> keyColumns) throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT " + String.join(", ", keyColumns) + " FROM (" + model + ") m WHERE 1 = 0")) {
            java.sql.ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (!SAME_TEXT.contains(meta.getColumnType(i)) && !"uuid".equalsIgnoreCase(meta.getColumnTypeName(i))) {
                    return meta.getColumnLabel(i) + " (" + meta.getColumnTypeName(i) + ")";
                }
            }
            return null;
        }
    }

    private static final java.util.Set<Integer> SAME_TEXT = java.util.Set.of(java.sql.Types.TINYINT, java.sql.Types.SMALLINT,
            java.sql.Types.INTEGER, java.sql.Types.BIGINT, java.sql.Types.VARCHAR, java.sql.Types.LONGVARCHAR,
            java.sql.Types.NVARCHAR, java.sql.Types.LONGNVARCHAR);

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
        // the last version of a key wins (with checkDuplicates off a batch may repeat a key, which one
        // INSERT ... ON CONFLICT DO UPDATE refuses)
        java.util.Map<String, Long> upserts = new java.util.LinkedHashMap<>();
        List<String> deleted = new java.util.ArrayList<>();
        for (BatchItem item : accepted) {
            if (item.change() == Change.REMOVED) {
                deleted.add(item.key());
            } else {
                upserts.put(String.valueOf(item.row().get(KEY)), item.fingerprint());
            }
        }
        List<String> keys = List.copyOf(upserts.keySet());
        List<Long> fingerprints = List.copyOf(upserts.values());
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
