package io.rowcast.sync;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.rowcast.state.SnapshotColumns;
import io.rowcast.state.StateStore;
import io.rowcast.warehouse.RowCursor;
import io.rowcast.warehouse.dialect.SnapshotKey;
import io.rowcast.warehouse.dialect.WarehouseDialect;

/**
 * The in-warehouse engine ({@code state: warehouse}), as Castled and Hightouch's Lightning do it: a
 * snapshot table per sync in the warehouse's {@code rowcast} schema holds each delivered row's key (in the
 * model's own key columns and types) and fingerprint, the diff runs in the warehouse as one join (full outer
 * when the mode deletes, else left), and only added, changed and (when the mode deletes) removed rows leave
 * it. The snapshot moves forward only for rows the destination accepted, batch by batch.
 */
final class WarehouseSnapshot {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarehouseSnapshot.class);

    static final String SCHEMA = "rowcast";
    static final String FINGERPRINT = WarehouseDialect.FINGERPRINT;
    static final String PREVIOUS_KEY = WarehouseDialect.PREVIOUS_KEY;
    private static final String ROW = WarehouseDialect.ROW;
    static final String ROW_ID = WarehouseDialect.ROW_ID;

    private static final Set<Integer> BINARY = Set.of(java.sql.Types.BINARY, java.sql.Types.VARBINARY,
            java.sql.Types.LONGVARBINARY, java.sql.Types.BLOB);

    private final DataSource warehouse;
    private final WarehouseDialect dialect;
    private final String syncId;
    private final String table;
    private SnapshotKey key;
    /** The model's columns, quoted, and those the fingerprint takes as text (see WarehouseDialect#unhashableColumns). */
    private List<String> quotedColumns = List.of();
    /** The model's column names, as the warehouse gives them, comma-separated. */
    private String columnNames = "";
    private Set<String> hashedAsText = Set.of();
    static final String LEDGER_AT = WarehouseDialect.LEDGER_AT;
    /**
     * Where each changed row planned and not yet committed is kept, by key: its snapshot row (see
     * WarehouseDialect#rowId) and its ledger row (see StateStore#recordOutcomes), either possibly null.
     */
    private final Map<String, Located> located = new java.util.concurrent.ConcurrentHashMap<>();

    private record Located(String rowId, String ledgerAt) { }

    WarehouseSnapshot(DataSource warehouse, String syncId) {
        this.warehouse = warehouse;
        this.dialect = WarehouseDialect.of(warehouse);
        this.syncId = syncId;
        this.table = tableName(syncId);
    }

    /**
     * {@code snapshot_} and the sync id's letters, digits and underscores, lower-cased; a long one is cut and
     * ends in a hash of the whole id, since PostgreSQL silently cuts names at 63 bytes (two long ids alike in
     * their first 63 would share a table). {@link SnapshotOwners} refuses two ids that still make one name.
     */
    static String tableName(String syncId) {
        String name = "snapshot_" + syncId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() <= 55 ? name
                : name.substring(0, 46) + "_" + String.format("%08x", (int) RowFingerprint.keyHash(syncId));
    }

    private String qualified() {
        return SCHEMA + "." + table;
    }

    /**
     * Makes sure the snapshot table exists and is keyed like the model. One kept by an older Rowcast (a text
     * key) or for other key columns or types (a column widened, say) is dropped and made anew;
     * {@link #restoreUnlessWhole} then refills it.
     */
    void ensure(String model, List<String> keyColumns) throws SQLException {
        List<Column> modelColumns = columns("SELECT * FROM (" + model + ") m WHERE 1 = 0");
        WarehouseDialect.clashingColumn(modelColumns.stream().map(Column::name).toList()).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        // PostgreSQL's untyped ROW(...): no table can have such a column, so neither can the diff's
        modelColumns.stream().filter(c -> "record".equalsIgnoreCase(c.typeName())).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("the model's column '" + c.name() + "' is an anonymous record (ROW(...)),"
                    + " which state: warehouse cannot keep in its diff table; cast it to text or jsonb in the model query");
        });
        SnapshotOwners.claim(warehouse, SCHEMA, table, syncId);
        this.quotedColumns = modelColumns.stream().map(c -> dialect.quote(c.name())).toList();
        this.columnNames = String.join(", ", modelColumns.stream().map(Column::name).toList());
        try (Connection c = warehouse.getConnection()) {
            this.hashedAsText = dialect.unhashableColumns(c, model, quotedColumns);
        }
        List<Column> wanted = new ArrayList<>();
        for (String declared : keyColumns) {
            wanted.add(modelColumns.stream().filter(c -> c.name().equalsIgnoreCase(declared)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("primary key column '" + declared
                            + "' is not among the model query's columns " + modelColumns.stream().map(Column::name).toList())));
        }
        // a binary key reaches Rowcast as Base64 text, which the warehouse does not cast back to those bytes
        wanted.stream().filter(c -> BINARY.contains(c.type())).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("primary key column '" + c.name() + "' is binary (" + c.typeName() + "),"
                    + " which state: warehouse cannot compare with its snapshot; use state: local, or a key of its hex"
                    + " text in the model (PostgreSQL: encode(" + c.name() + ", 'hex'), DuckDB: hex(" + c.name() + "))");
        });
        // the columns' own names, quoted: a key may be named like a keyword (order, user)
        List<String> quoted = wanted.stream().map(c -> dialect.quote(c.name())).toList();
        Optional<List<Column>> existing = existing();
        if (existing.isPresent() && !Column.keyedLike(existing.get(), wanted)) {
            LOG.warn("The warehouse snapshot {} is keyed by {}, not by the model's {}; making it anew (it is refilled"
                    + " from the state store)", qualified(), existing.get(), wanted);
            drop();
            existing = Optional.empty();
        }
        if (existing.isEmpty()) {
            create(model, quoted);
            existing = existing();
        } else if (existing.get().size() == keyColumns.size() + 1) {
            // made by a Rowcast that did not keep where the ledger keeps each row
            try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + qualified() + " ADD COLUMN " + LEDGER_AT + " VARCHAR");
            }
        }
        List<Column> keyed = existing.orElseThrow().subList(0, keyColumns.size());
        this.key = new SnapshotKey(keyed.stream().map(c -> dialect.quote(c.name())).toList(),
                keyed.stream().map(c -> dialect.castType(c.typeName())).toList());
    }

    private void create(String model, List<String> keyColumns) throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                for (String ddl : dialect.createSnapshot(SCHEMA, table, model, keyColumns)) {
                    s.execute(ddl);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SQLException("state: warehouse could not create table " + qualified() + " in the warehouse ("
                    + e.getMessage() + "); if the Rowcast user lacks the right, grant it CREATE there", e);
        }
    }

    /** The snapshot table's columns, or empty if there is no such table. */
    private Optional<List<Column>> existing() {
        try {
            return Optional.of(columns("SELECT * FROM " + qualified() + " WHERE 1 = 0"));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private List<Column> columns(String query) throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Column> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(new Column(meta.getColumnLabel(i), meta.getColumnType(i), meta.getColumnTypeName(i),
                        meta.getPrecision(i), meta.getScale(i)));
            }
            return columns;
        }
    }

    /**
     * A column as JDBC describes it. A snapshot is keyed like the model when its key columns have the model's
     * names (as SQL compares them), types, lengths and scales: a key cast into a narrower column would be cut.
     */
    private record Column(String name, int type, String typeName, int precision, int scale) {

        /** (Its key columns, the fingerprint, and where the ledger keeps the row: a column older snapshots lack.) */
        static boolean keyedLike(List<Column> snapshot, List<Column> modelKey) {
            int n = modelKey.size();
            if (snapshot.size() < n + 1 || snapshot.size() > n + 2 || !snapshot.get(n).name.equalsIgnoreCase(FINGERPRINT)
                    || snapshot.size() == n + 2 && !snapshot.get(n + 1).name.equalsIgnoreCase(LEDGER_AT)) {
                return false;
            }
            for (int i = 0; i < modelKey.size(); i++) {
                Column a = snapshot.get(i);
                Column b = modelKey.get(i);
                if (!a.name.equalsIgnoreCase(b.name) || a.type != b.type || !a.baseType().equals(b.baseType())
                        || a.precision != b.precision || a.scale != b.scale) {
                    return false;
                }
            }
            return true;
        }

        private String baseType() {
            // (a copy of a serial column is a plain integer)
            return WarehouseDialect.withoutSerial(typeName.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return name + " " + typeName;
        }
    }

    /**
     * Refills a snapshot not known whole from the state store, whose ledger holds the fingerprint of every version
     * the destination has. A snapshot is not whole on a sync's first run (nothing to copy), after a crash or
     * failover of a warehouse that keeps it unlogged (then batches still in flight may have written a few rows
     * into it since: see {@link SnapshotCompleteness}), after it was made anew for another key, after a reset
     * filling it from the model was cut short; and it is empty after someone emptied or dropped it: without this,
     * every row would be sent again (and an insert-mode sync would duplicate its events). The ledger's key text is
     * cast back to the key columns' types. One transaction, emptying, refilling and listing it whole, so a restore
     * cut short leaves it as it was and the next run restores it again. Returns how many rows were restored.
     */
    long restoreUnlessWhole(StateStore state, String syncId, long sentSince) throws SQLException {
        try (Connection c = warehouse.getConnection()) {
            boolean whole = SnapshotCompleteness.isComplete(c, SCHEMA, table);
            boolean empty;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + qualified() + " LIMIT 1")) {
                empty = !rs.next();
            }
            if (whole && !(empty && state.hasDeliveredRows(syncId))) {
                return 0;
            }
            SnapshotCompleteness.ensureList(c, dialect, SCHEMA);
        }
        long[] restored = {0};
        List<List<String>> keys = new ArrayList<>();
        List<Long> fingerprints = new ArrayList<>();
        try (Connection c = warehouse.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(dialect.emptySnapshot(qualified()));
                }
                state.forEachDeliveredVersion(syncId, sentSince, (k, fingerprint, pending) -> {
                    keys.add(PrimaryKey.parts(k, key.columns().size()));
                    fingerprints.add(pending ? WarehouseDialect.PENDING : fingerprint);
                    if (keys.size() == 10_000) {
                        restored[0] += restore(c, keys, fingerprints);
                    }
                });
                restored[0] += restore(c, keys, fingerprints);
                SnapshotCompleteness.markComplete(c, SCHEMA, table);
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw new RestoreFailed("Could not restore the warehouse snapshot " + qualified()
                        + " of sync " + syncId + " from the state store (" + e.getMessage() + "). Run `reset` to adopt"
                        + " the model's current rows as delivered (a sync that does not delete may instead `resync`,"
                        + " sending every row again)", e);
            }
        }
        return restored[0];
    }

    /** A reset filled the snapshot from the model, every row of it: it is whole. */
    void markWhole() {
        try (Connection c = warehouse.getConnection()) {
            SnapshotCompleteness.ensureList(c, dialect, SCHEMA);
            SnapshotCompleteness.markComplete(c, SCHEMA, table);
        } catch (SQLException e) {
            // the next run restores it from the ledger the reset wrote: slower, not wrong
            LOG.warn("Could not list the warehouse snapshot {} as whole: {}", qualified(), e.getMessage());
        }
    }

    /** The ledger's rows could not be put back in the snapshot (keys that no longer cast to the key's types, say). */
    static final class RestoreFailed extends IllegalStateException {
        RestoreFailed(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * Brings the snapshot rows of keys that runs after {@code settledRun} wrote to the ledger in line with it. A
     * batch commits to the ledger first and to the snapshot after: a run whose process stopped in between (or
     * whose snapshot write failed) left the snapshot behind, and a row changed and then changed back, or deleted
     * and then back, would look unchanged for good. The ledger says what the destination accepted: its version,
     * {@link WarehouseDialect#PENDING} for a refused one, and no snapshot row where none was delivered (or it was
     * deleted; pending too if last sent before run {@code sentSince}, see {@link #followColumns}). One
     * transaction. Returns how many rows were written or removed.
     */
    long reconcile(StateStore state, String syncId, long settledRun, long sentSince) throws SQLException {
        int parts = key.columns().size();
        long[] written = {0};
        List<List<String>> keys = new ArrayList<>();
        List<Long> fingerprints = new ArrayList<>();
        List<List<String>> absent = new ArrayList<>();
        try (Connection c = warehouse.getConnection()) {
            c.setAutoCommit(false);
            try {
                state.forEachRowWrittenAfter(syncId, settledRun, (k, fingerprint, status, lastRun) -> {
                    if (fingerprint == null || "deleted".equals(status)) {
                        absent.add(PrimaryKey.parts(k, parts));
                    } else {
                        keys.add(PrimaryKey.parts(k, parts));
                        fingerprints.add("delivered".equals(status) && lastRun >= sentSince ? fingerprint : WarehouseDialect.PENDING);
                    }
                    if (keys.size() + absent.size() == 10_000) {
                        written[0] += restore(c, keys, fingerprints) + remove(c, absent);
                    }
                });
                written[0] += restore(c, keys, fingerprints) + remove(c, absent);
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw new IllegalStateException("Could not bring the warehouse snapshot " + qualified() + " of sync " + syncId
                        + " in line with the state store after an unfinished run (" + e.getMessage() + "); the next run"
                        + " tries again. `resync` sends every row again", e);
            }
        }
        return written[0];
    }

    /**
     * Compares the model's column names with those {@code recorded} for the snapshot. The warehouse's row hash
     * covers values, not names: after a rename, when {@code resend}, every snapshot row is marked
     * {@link WarehouseDialect#PENDING}, so each row is sent again as changed (a passthrough mapping names its
     * fields after the columns), and the new names are recorded with this run as the one sending from: a
     * snapshot refilled from the state store later (whose fingerprints do not cover names either) marks the
     * rows last sent before it, so a failed run's progress is kept and nothing is left unsent. Marked before
     * recorded, so a run stopped in between marks again. A snapshot without recorded names (kept by an earlier
     * Rowcast, or new) just records them. Returns the recorded names if they differ.
     */
    Optional<String> followColumns(StateStore state, String syncId, long runId, boolean resend,
                                   Optional<SnapshotColumns.Recorded> recorded) throws SQLException {
        if (recorded.isPresent() && recorded.get().names().equals(columnNames)) {
            return Optional.empty();
        }
        if (recorded.isPresent() && resend) {
            try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + qualified() + " SET " + FINGERPRINT + " = " + WarehouseDialect.PENDING
                        + " WHERE " + FINGERPRINT + " <> " + WarehouseDialect.PENDING);
            }
        }
        state.snapshotColumns().save(syncId, new SnapshotColumns.Recorded(columnNames,
                recorded.isPresent() && resend ? runId : 0));
        return recorded.map(SnapshotColumns.Recorded::names);
    }

    private int remove(Connection c, List<List<String>> keys) {
        int n = keys.size();
        if (n > 0) {
            try {
                dialect.deleteFromSnapshot(c, qualified(), key, keys);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            keys.clear();
        }
        return n;
    }

    private int restore(Connection c, List<List<String>> keys, List<Long> fingerprints) {
        int n = keys.size();
        if (n > 0) {
            try {
                // (where the ledger keeps each row is learnt at the row's next commit)
                dialect.upsertSnapshot(c, qualified(), key, keys, fingerprints, java.util.Collections.nCopies(n, null));
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            keys.clear();
            fingerprints.clear();
        }
        return n;
    }

    /**
     * The model's added and changed rows (with their fingerprint, and the snapshot's key for a changed row)
     * and, if {@code removedRows}, the removed rows (only {@value #PREVIOUS_KEY}n set): everything else stays in
     * the warehouse. The fingerprint is compared last, so it is computed once per row. Without removed rows the
     * join is a left join, which spares the warehouse a pass over each hash batch for the snapshot rows nothing
     * matched (a tenth of the diff on PostgreSQL). Without {@code changedRows} (an insert sync: a changed row is
     * not for it, and would come out of every later diff, never being committed) only keys the snapshot lacks.
     */
    String diffQuery(String model, long seed, boolean removedRows, boolean changedRows) {
        List<String> previous = new ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            previous.add("s." + key.columns().get(i) + " AS " + PREVIOUS_KEY + (i + 1));
        }
        dialect.rowId("s").ifPresent(rowId -> previous.add(rowId + " AS " + ROW_ID));
        previous.add("s." + LEDGER_AT);
        return "SELECT d.*, " + String.join(", ", previous)
                + " FROM (SELECT " + ROW + ".*, " + dialect.fingerprint(ROW, seed, quotedColumns, hashedAsText)
                + " AS " + FINGERPRINT + " FROM (" + model
                + ") " + ROW + ") d"
                + (removedRows ? " FULL OUTER JOIN " : " LEFT JOIN ") + qualified() + " s ON " + key.equalities("s", "d")
                + " WHERE s." + FINGERPRINT + " IS NULL" + (removedRows ? " OR d." + key.columns().get(0) + " IS NULL" : "")
                + (changedRows ? " OR s." + FINGERPRINT + " <> d." + FINGERPRINT : "");
    }

    /**
     * Opens the diff: it is first materialised in a table (so the warehouse may plan the join in parallel,
     * which it will not do for a cursor), the model's duplicate keys among the keys to send are found, and
     * then the table is streamed. The table is created in the cursor's transaction and goes with its rollback.
     */
    RowCursor openDiff(String model, long seed, boolean removedRows, boolean changedRows, int fetchSize,
                       boolean checkDuplicates, Set<String> duplicateKeys) throws SQLException {
        String diff = dialect.diffTable(SCHEMA, table);
        return RowCursor.open(warehouse, c -> {
            try (Statement s = c.createStatement()) {
                for (String setting : dialect.diffSettings()) {
                    s.execute(setting);
                }
                long started = System.nanoTime();
                s.execute(dialect.createDiffTable(diff, diffQuery(model, seed, removedRows, changedRows)));
                LOG.debug("Diff of {} computed in the warehouse in {} ms", qualified(), (System.nanoTime() - started) / 1_000_000);
                if (checkDuplicates) {
                    findDuplicates(s, diff, model, key.columns(), duplicateKeys);
                }
            }
        }, "SELECT * FROM " + diff, fetchSize);
    }

    /**
     * Only keys that would be sent matter, and a duplicate's twin may be unchanged (so not in the diff): counts
     * the model's rows of each key the diff holds, joined on the key columns themselves so that a model reading
     * a table can use the table's key index. Keys come back as Rowcast writes them.
     */
    private static void findDuplicates(Statement s, String diff, String model, List<String> keyColumns,
                                       Set<String> duplicateKeys) throws SQLException {
        String columns = String.join(", ", keyColumns.stream().map(k -> "d." + k).toList());
        String join = String.join(" AND ", keyColumns.stream().map(k -> "m." + k + " = d." + k).toList());
        String groups = "SELECT " + columns + " FROM " + diff + " d JOIN (" + model + ") m ON " + join
                + " GROUP BY " + columns + " HAVING COUNT(*) > 1";
        if (readKeys(s, groups, keyColumns.size(), duplicateKeys) > 0) {
            // a group holds keys the warehouse finds equal, which may be written differently (numeric 1.0 and 1.00,
            // citext): each of the diff's rows in it, as the run will read it
            readKeys(s, "SELECT " + columns + " FROM " + diff + " d JOIN (" + groups + ") g ON "
                    + String.join(" AND ", keyColumns.stream().map(k -> "g." + k + " = d." + k).toList()),
                    keyColumns.size(), duplicateKeys);
        }
    }

    private static int readKeys(Statement s, String query, int parts, Set<String> keys) throws SQLException {
        int n = 0;
        try (ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                List<Object> values = new ArrayList<>(parts);
                for (int i = 1; i <= parts; i++) {
                    values.add(RowCursor.value(rs, i, RowCursor.type(meta, i)));
                }
                keys.add(PrimaryKey.keyOf(values));
                n++;
            }
        }
        return n;
    }

    /**
     * Records accepted rows in the snapshot (their keys, fingerprints and where the ledger now keeps them, from
     * {@code ledgerPositions}), and drops the deleted ones.
     */
    void commit(Collection<BatchItem> accepted, Map<String, String> ledgerPositions) {
        if (accepted.isEmpty()) {
            return;
        }
        // the last version of a key wins (with checkDuplicates off a batch may repeat a key, which one
        // INSERT ... ON CONFLICT DO UPDATE refuses)
        Map<String, Long> upserts = new LinkedHashMap<>();
        List<List<String>> deleted = new ArrayList<>();
        int parts = key.columns().size();
        for (BatchItem item : accepted) {
            if (item.change() == Change.REMOVED) {
                deleted.add(PrimaryKey.parts(item.key(), parts));
            } else {
                upserts.put(item.key(), item.fingerprint());
            }
        }
        try (Connection c = warehouse.getConnection()) {
            updateInPlace(c, upserts, ledgerPositions);
            if (!upserts.isEmpty()) {
                dialect.upsertSnapshot(c, qualified(), key, upserts.keySet().stream().map(k -> PrimaryKey.parts(k, parts)).toList(),
                        List.copyOf(upserts.values()), upserts.keySet().stream().map(ledgerPositions::get).toList());
            }
            if (!deleted.isEmpty()) {
                dialect.deleteFromSnapshot(c, qualified(), key, deleted);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update the warehouse snapshot " + qualified() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Marks the snapshot rows of refused changes and deletes {@link WarehouseDialect#PENDING}, so later diffs
     * return them until the destination accepts them, as the local engine retries its rejected rows. (Refused
     * adds are not in the snapshot: they stay added.)
     */
    void markPending(Collection<BatchItem> refused) {
        int parts = key.columns().size();
        List<List<String>> keys = refused.stream().filter(i -> i.change() != Change.ADDED)
                .map(i -> PrimaryKey.parts(i.key(), parts)).toList();
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = warehouse.getConnection()) {
            dialect.markPending(c, qualified(), key, keys);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not mark refused rows in the warehouse snapshot " + qualified() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A changed row is planned: remember where the snapshot and the ledger keep it, for the batch's commit. A
     * position that is no ctid (the snapshot edited by hand) is ignored: the row is then committed by key.
     */
    void planned(String key, Map<String, Object> row) {
        String rowId = position(row.get(ROW_ID));
        String ledgerAt = position(row.get(LEDGER_AT));
        if (rowId != null || ledgerAt != null) {
            located.put(key, new Located(rowId, ledgerAt));
        }
    }

    private static final java.util.regex.Pattern CTID = java.util.regex.Pattern.compile("\\(\\d+,\\d+\\)");

    private static String position(Object value) {
        return value != null && CTID.matcher(value.toString()).matches() ? value.toString() : null;
    }

    /** The batch of these rows is committed (or failed): where they were is of no more use. */
    void settled(Collection<BatchItem> items) {
        for (BatchItem item : items) {
            located.remove(item.key());
        }
    }

    /** Where the ledger kept this planned row when its snapshot row was last written, if known. */
    String ledgerPosition(String key) {
        Located at = located.get(key);
        return at == null ? null : at.ledgerAt();
    }

    /** Updates the accepted rows the diff located where they are; takes them out of {@code upserts}, but for any missed. */
    private void updateInPlace(Connection c, Map<String, Long> upserts, Map<String, String> ledgerPositions) throws SQLException {
        List<String> keys = new ArrayList<>();
        List<String> at = new ArrayList<>();
        for (String k : upserts.keySet()) {
            Located where = located.remove(k);
            if (where != null && where.rowId() != null) {
                keys.add(k);
                at.add(where.rowId());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        int parts = key.columns().size();
        Set<Integer> missed = dialect.updateSnapshotAt(c, qualified(), key, at,
                keys.stream().map(k -> PrimaryKey.parts(k, parts)).toList(), keys.stream().map(upserts::get).toList(),
                keys.stream().map(ledgerPositions::get).toList());
        for (int i = 0; i < keys.size(); i++) {
            if (!missed.contains(i)) {
                upserts.remove(keys.get(i));
            }
        }
    }

    /** Removes every row, keeping the table, which is then no longer whole. */
    void empty() throws SQLException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            SnapshotCompleteness.markIncomplete(c, SCHEMA, table);
            s.execute(dialect.emptySnapshot(qualified()));
        }
    }

    /** Forgets everything (resync); refused when the snapshot belongs to another sync. */
    void drop() {
        SnapshotOwners.requireOwnedBy(warehouse, SCHEMA, table, syncId);
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            SnapshotCompleteness.markIncomplete(c, SCHEMA, table);
            s.execute(dialect.dropSnapshot(SCHEMA, table));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the warehouse snapshot " + qualified() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The columns the diff adds to the model's (not for the destination: a mapping copying every column would send them). */
    List<String> diffColumns() {
        List<String> added = new ArrayList<>(List.of(FINGERPRINT));
        for (int i = 1; i <= key.columns().size(); i++) {
            added.add(PREVIOUS_KEY + i);
        }
        dialect.rowId("s").ifPresent(rowId -> added.add(ROW_ID));
        added.add(LEDGER_AT);
        return added;
    }

    /** A row of the diff that stands for a row the model no longer returns. */
    static boolean isRemoved(Map<String, Object> row) {
        return row.get(FINGERPRINT) == null && row.get(PREVIOUS_KEY + 1) != null;
    }

    /** A row of the diff that the snapshot had (changed or removed), rather than an added one. */
    static boolean wasInSnapshot(Map<String, Object> row) {
        return row.get(PREVIOUS_KEY + 1) != null;
    }

    /** The key of a removed row, as Rowcast writes keys (the same text the ledger holds). */
    String previousKey(Map<String, Object> row) {
        List<Object> values = new ArrayList<>(key.columns().size());
        for (int i = 1; i <= key.columns().size(); i++) {
            values.add(row.get(PREVIOUS_KEY + i));
        }
        return PrimaryKey.keyOf(values);
    }
}
