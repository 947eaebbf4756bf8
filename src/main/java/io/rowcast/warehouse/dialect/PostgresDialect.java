package io.rowcast.warehouse.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** PostgreSQL 14 and later (hash_record_extended: the row hashed as it is, no text conversion). */
public class PostgresDialect extends AnsiDialect {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The driver names a type on the search path bare, as created: a type made as "Role" (Prisma's enums) comes
     * as Role, which SQL would fold to role, no such type. Such a name is quoted; built-in names are lower case.
     */
    @Override
    public String castType(String jdbcTypeName) {
        String type = WarehouseDialect.withoutSerial(jdbcTypeName);
        return type.equals(type.toLowerCase(java.util.Locale.ROOT)) || type.startsWith("\"") ? type : quote(type);
    }

    /**
     * The planner prices gathering the diff's rows as if the whole model came out of the join, and so plans
     * it on one core; only the changed rows do, so let it plan the scans, hashes and join in parallel
     * (half the time on two cores). Local to the diff's transaction.
     */
    @Override
    public List<String> diffSettings() {
        return List.of("SET LOCAL parallel_tuple_cost = 0");
    }

    /**
     * Not a temporary table: PostgreSQL's parallel workers cannot read those, and the duplicate check joins
     * the model with the diff. Unlogged (nothing to replay) and uncommitted, so no other session sees it.
     */
    @Override
    public String diffTable(String schema, String snapshotTable) {
        return schema + ".diff_" + snapshotTable.replaceFirst("^snapshot_", "");
    }

    @Override
    public String createDiffTable(String table, String select) {
        return "CREATE UNLOGGED TABLE " + table + " AS " + select;
    }

    /**
     * Unlogged: a snapshot of 10 million rows takes a run's 100,000 scattered updates without writing a full
     * page image of nearly every page to the WAL (about ten times cheaper). The price, an empty snapshot after
     * a crash or failover of the warehouse, is paid by rebuilding it from the state store's ledger. Pages are
     * kept a fifth empty so a changed fingerprint is updated where it is (a HOT update, no new index entry).
     */
    @Override
    String createTable(String table, String select) {
        return "CREATE UNLOGGED TABLE " + table + " WITH (fillfactor = 80) AS " + select + " WITH NO DATA";
    }

    /** Unlogged like the snapshots: the crash that empties them empties it too. */
    @Override
    public String createCompletionList(String table) {
        return "CREATE UNLOGGED TABLE IF NOT EXISTS " + table + " (snapshot_table VARCHAR(200) PRIMARY KEY)";
    }

    /**
     * PostgreSQL's planner drops a left join that cannot change the result, which it does only when it can
     * prove the joined side unique on the join columns (a unique index, GROUP BY, DISTINCT). So the model
     * left-joined to itself on the key plans exactly as the model alone iff the key is unique. Plans only.
     */
    @Override
    public boolean provesKeyUnique(Connection c, String model, List<String> keyColumns) throws SQLException {
        String on = keyColumns.stream().map(k -> "b." + k + " = a." + k).collect(Collectors.joining(" AND "));
        return plan(c, "SELECT a.* FROM (" + model + ") a LEFT JOIN (" + model + ") b ON " + on)
                .equals(plan(c, "SELECT a.* FROM (" + model + ") a"));
    }

    private static JsonNode plan(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON, COSTS OFF) " + query)) {
            rs.next();
            JsonNode plan = JSON.readTree(rs.getString(1)).path(0).path("Plan");
            if (!plan.isObject()) {
                throw new SQLException("EXPLAIN gave no plan");
            }
            return plan;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable EXPLAIN output: " + e.getMessage(), e);
        }
    }

    /**
     * One statement over an array per column rather than a row a statement: planned once, cheaper per row.
     * Two key texts may be one value (numeric 1.0 and 1.00): the last one given wins, in one row, and the
     * snapshot keeps its text, so a later delete names the key last sent.
     */
    @Override
    public void upsertSnapshot(Connection c, String table, SnapshotKey key, List<List<String>> keys, List<Long> fingerprints,
                               List<String> ledgerPositions) throws SQLException {
        String parts = String.join(", ", keyParts(key));
        String columns = String.join(", ", key.columns());
        List<String> refreshed = key.columns().stream().map(k -> k + " = EXCLUDED." + k).toList();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columns + ", " + FINGERPRINT + ", "
                + LEDGER_AT + ") SELECT DISTINCT ON (" + parts + ") " + parts + ", fp, la FROM (" + rows(key, false)
                + ") v ORDER BY " + parts + ", n DESC ON CONFLICT (" + columns + ") DO UPDATE SET " + String.join(", ", refreshed)
                + ", " + FINGERPRINT + " = EXCLUDED." + FINGERPRINT + ", " + LEDGER_AT + " = EXCLUDED." + LEDGER_AT)) {
            bindRows(c, ps, key, null, keys, fingerprints, ledgerPositions);
            ps.executeUpdate();
        }
    }

    /**
     * A row's ctid: the diff reads it with the row's snapshot fingerprint, and the commit updates the row there,
     * without a lookup in the key's index (a cold page per row when 1% of 10 million rows changed). The ctid
     * holds within a run: only the run that holds the sync's lease updates its snapshot, once a key.
     */
    @Override
    public java.util.Optional<String> rowId(String alias) {
        return java.util.Optional.of("CAST(" + alias + ".ctid AS text)");
    }

    /**
     * One statement over arrays; the key is checked too, so a row moved since the diff (VACUUM FULL) is just missed.
     * One TID scan over all the rows' ctids ({@code ctid = ANY}) rather than one per row, as a join on ctid alone
     * plans it (restarting a TID scan costs more than the row's update).
     */
    @Override
    public Set<Integer> updateSnapshotAt(Connection c, String table, SnapshotKey key, List<String> rowIds,
                                         List<List<String>> keys, List<Long> fingerprints, List<String> ledgerPositions)
            throws SQLException {
        List<String> sets = new java.util.ArrayList<>();
        List<String> matches = new java.util.ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            String column = key.columns().get(i);
            sets.add(column + " = v.k" + i);   // the key's text as last sent, as upsertSnapshot keeps it
            matches.add("s." + column + " = v.k" + i);
        }
        Set<Integer> missed = new java.util.HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            missed.add(i);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " s SET " + String.join(", ", sets) + ", "
                + FINGERPRINT + " = v.fp, " + LEDGER_AT + " = v.la FROM (" + rows(key, true) + ") v"
                + " WHERE s.ctid = ANY(CAST(? AS tid[])) AND s.ctid = v.t AND " + String.join(" AND ", matches)
                + " RETURNING v.n")) {
            int last = bindRows(c, ps, key, rowIds, keys, fingerprints, ledgerPositions);
            ps.setArray(last + 1, c.createArrayOf("text", rowIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missed.remove((int) rs.getLong(1) - 1);
                }
            }
        }
        return missed;
    }

    private static List<String> keyParts(SnapshotKey key) {
        return java.util.stream.IntStream.range(0, key.columns().size()).mapToObj(i -> "k" + i).toList();
    }

    /**
     * Rows bound as one array per column ({@link #bindRows}), as a relation: the ctid {@code t} (if {@code located}),
     * the key parts {@code k0, k1...} cast to the key columns' types, {@code fp}, {@code la} (the ledger position) and
     * {@code n}, the row's place in the arrays, from 1.
     */
    private static String rows(SnapshotKey key, boolean located) {
        List<String> parts = keyParts(key);
        List<String> casts = new java.util.ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            casts.add("CAST(u." + parts.get(i) + " AS " + key.types().get(i) + ") AS " + parts.get(i));
        }
        int arrays = parts.size() + 2 + (located ? 1 : 0);
        return "SELECT " + (located ? "CAST(u.t AS tid) AS t, " : "") + String.join(", ", casts) + ", u.fp, u.la, u.n"
                + " FROM unnest(" + String.join(", ", java.util.Collections.nCopies(arrays, "?")) + ") WITH ORDINALITY AS u ("
                + (located ? "t, " : "") + String.join(", ", parts) + ", fp, la, n)";
    }

    /**
     * Binds the arrays of {@link #rows}, from the statement's first parameter on; {@code rowIds} null when not located.
     * Returns the last parameter bound.
     */
    private static int bindRows(Connection c, PreparedStatement ps, SnapshotKey key, List<String> rowIds,
                                 List<List<String>> keys, List<Long> fingerprints, List<String> ledgerPositions)
            throws SQLException {
        int p = 1;
        if (rowIds != null) {
            ps.setArray(p++, c.createArrayOf("text", rowIds.toArray()));
        }
        for (int i = 0; i < key.columns().size(); i++) {
            int part = i;
            ps.setArray(p++, c.createArrayOf("text", keys.stream().map(k -> k.get(part)).toArray()));
        }
        ps.setArray(p++, c.createArrayOf("int8", fingerprints.toArray()));
        ps.setArray(p, c.createArrayOf("text", ledgerPositions.toArray()));
        return p;
    }

    /** The row as it is, or, when a column's type has no hash function, the row with that column's text in its place. */
    @Override
    public String fingerprint(String alias, long seed, List<String> columns, Set<String> asText) {
        String row = asText.isEmpty() ? alias : "ROW(" + columns.stream()
                .map(c -> asText.contains(c) ? "CAST(" + alias + "." + c + " AS text)" : alias + "." + c)
                .collect(Collectors.joining(", ")) + ")";
        return "(hash_record_extended(" + row + ", " + seed + ") & 4611686018427387903)";
    }

    /**
     * json, xml, money, geometric types, arrays or composites of them... have no hash function, and
     * hash_record_extended fails on the first row that has one. Hashing a row of NULLs of the model's types (the
     * model left-joined empty to one row, so it does not run) looks up every column's hash function all the same:
     * first all columns at once, then, only if that fails, each column.
     */
    @Override
    public Set<String> unhashableColumns(Connection c, String model, List<String> columns) throws SQLException {
        c.setAutoCommit(true);   // a failed probe must not abort the ones after it
        if (hashes(c, model, "m.*")) {
            return Set.of();
        }
        Set<String> unhashable = new java.util.LinkedHashSet<>();
        for (String column : columns) {
            if (!hashes(c, model, "m." + column)) {
                unhashable.add(column);
            }
        }
        return unhashable;
    }

    private static boolean hashes(Connection c, String model, String values) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT hash_record_extended(ROW(" + values + "), 0) FROM (SELECT 1) one LEFT JOIN (SELECT * FROM ("
                    + model + ") q WHERE false) m ON true");
            return true;
        } catch (SQLException e) {
            if ("42883".equals(e.getSQLState())) {   // undefined_function: no hash function for a column's type
                return false;
            }
            throw e;
        }
    }
}
