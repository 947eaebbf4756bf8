package io.rowcast.warehouse.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

/**
 * What the in-warehouse change-detection engine needs to say in one warehouse's SQL. Adding Snowflake,
 * BigQuery or Redshift is one class implementing this, plus a line in {@link #of}.
 */
public interface WarehouseDialect {

    /** The snapshot table's fingerprint column (the diff names the model rows' fingerprints alike). */
    String FINGERPRINT = "rowcast_fp";

    /** The model's alias where the diff fingerprints its whole row: a model column of this name would be read instead. */
    String ROW = "rowcast_row";

    /** The diff's columns {@code rowcast_prev_1, _2, ...}: the snapshot's key of the row, NULL for an added row. */
    String PREVIOUS_KEY = "rowcast_prev_";

    /** The diff's column locating the row's snapshot row (see {@link #rowId}), where the dialect has one. */
    String ROW_ID = "rowcast_tid";

    /**
     * The snapshot's (and the diff's) column holding where the state store keeps the row's ledger row (a
     * PostgreSQL state store's ctid; NULL elsewhere or when not known), so a commit updates it there.
     */
    String LEDGER_AT = "rowcast_ledger_at";

    /**
     * What is wrong with a model whose column is named like one the diff adds or uses (names compared ignoring
     * case, as DuckDB compares them), if any: the state: warehouse engine cannot run it.
     */
    static Optional<String> clashingColumn(List<String> modelColumns) {
        return modelColumns.stream().filter(c -> {
            String name = c.toLowerCase(Locale.ROOT);
            return name.equals(FINGERPRINT) || name.equals(ROW) || name.equals(ROW_ID) || name.equals(LEDGER_AT)
                    || name.matches(PREVIOUS_KEY + "[0-9]+");
        }).findFirst().map(c -> "the model's column '" + c + "' is named like one state: warehouse adds to its diff ("
                + String.join(", ", FINGERPRINT, ROW, ROW_ID, LEDGER_AT, PREVIOUS_KEY + "<n>") + "); rename it in the model query");
    }

    /** An identifier as the warehouse takes it verbatim, whatever its case and even if it is a keyword. */
    default String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The type a key column's text is cast to, given the name JDBC reports for the column's type. */
    default String castType(String jdbcTypeName) {
        return jdbcTypeName;
    }

    /**
     * PostgreSQL's driver names an integer column with a sequence default (or an identity) serial, smallserial or
     * bigserial: no type to cast to or compare by; its values are plain integers.
     */
    static String withoutSerial(String typeName) {
        return switch (typeName.toLowerCase(Locale.ROOT)) {
            case "smallserial" -> "int2";
            case "serial" -> "int4";
            case "bigserial" -> "int8";
            default -> typeName;
        };
    }

    /**
     * A 62-bit fingerprint of every column of {@code alias}, seeded (the seed carries the route's mapping files).
     * {@code columns} are the model's columns, quoted, in order; those in {@code asText} (see
     * {@link #unhashableColumns}) are fingerprinted by their text.
     */
    String fingerprint(String alias, long seed, List<String> columns, Set<String> asText);

    /**
     * The model's columns (quoted, as given) whose type the warehouse cannot hash as it is, so the fingerprint
     * takes their text instead. Asked once a run, without running the model.
     */
    default Set<String> unhashableColumns(Connection c, String model, List<String> columns) throws SQLException {
        return Set.of();
    }

    /**
     * Creates the snapshot table (its schema exists): the model's key columns (quoted), with their types, as its primary
     * key, a BIGINT {@value #FINGERPRINT} and a VARCHAR {@value #LEDGER_AT}. Typed keys let the diff join without converting 10 million keys
     * to text, and make a key read back from Rowcast's text (see {@link #upsertSnapshot}) equal to the original.
     */
    List<String> createSnapshot(String schema, String table, String model, List<String> keyColumns);

    /**
     * Writes accepted rows' (key, fingerprint, ledger position) into the snapshot {@code table}, in the
     * connection's transaction. Each key comes as the text of its parts, as Rowcast writes them (a timestamp as
     * {@code 2026-01-01T10:00}), and is cast back to the column's type; a position may be null.
     */
    default void upsertSnapshot(Connection c, String table, SnapshotKey key, List<List<String>> keys, List<Long> fingerprints,
                                List<String> ledgerPositions) throws SQLException {
        String columns = String.join(", ", key.columns());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columns + ", " + FINGERPRINT + ", "
                + LEDGER_AT + ") VALUES (" + String.join(", ", key.types().stream().map(t -> "CAST(? AS " + t + ")").toList())
                + ", ?, ?) ON CONFLICT (" + columns + ") DO UPDATE SET " + FINGERPRINT + " = EXCLUDED." + FINGERPRINT
                + ", " + LEDGER_AT + " = EXCLUDED." + LEDGER_AT)) {
            for (int i = 0; i < keys.size(); i++) {
                bindKey(ps, keys.get(i));
                ps.setLong(key.columns().size() + 1, fingerprints.get(i));
                ps.setString(key.columns().size() + 2, ledgerPositions.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The text of where a row of the snapshot aliased {@code alias} is stored, if the warehouse can update a row
     * by it without looking its key up (PostgreSQL's ctid); empty otherwise.
     */
    default Optional<String> rowId(String alias) {
        return Optional.empty();
    }

    /**
     * Sets the fingerprints and ledger positions of snapshot rows found at the given {@link #rowId}s, each only if
     * the row there still has its key (text parts, as for {@link #upsertSnapshot}). Returns the indexes in
     * {@code keys} of those not found there, for {@link #upsertSnapshot}. Only called when {@link #rowId} is present.
     */
    default Set<Integer> updateSnapshotAt(Connection c, String table, SnapshotKey key, List<String> rowIds,
                                          List<List<String>> keys, List<Long> fingerprints, List<String> ledgerPositions)
            throws SQLException {
        throw new UnsupportedOperationException("no row ids in this warehouse");
    }

    /**
     * The fingerprint of a snapshot row whose last change or delete the destination refused: no row has it (they
     * are 62-bit, not negative), so the next diff finds the row changed whatever the model then holds, and it is
     * sent again until accepted (the model may meanwhile have gone back to what was last delivered).
     */
    long PENDING = -1;

    /** Deletes the rows of these keys (text parts, as for {@link #upsertSnapshot}) from the snapshot {@code table}. */
    default void deleteFromSnapshot(Connection c, String table, SnapshotKey key, List<List<String>> keys) throws SQLException {
        forEachKey(c, "DELETE FROM " + table + " WHERE ", key, keys);
    }

    /** Sets the fingerprint of these keys' rows (text parts, as for {@link #upsertSnapshot}) to {@link #PENDING}. */
    default void markPending(Connection c, String table, SnapshotKey key, List<List<String>> keys) throws SQLException {
        forEachKey(c, "UPDATE " + table + " SET " + FINGERPRINT + " = " + PENDING + " WHERE ", key, keys);
    }

    /** Runs {@code statement} followed by a match on the key columns, once per key, as one JDBC batch. */
    private static void forEachKey(Connection c, String statement, SnapshotKey key, List<List<String>> keys) throws SQLException {
        List<String> matches = new java.util.ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            matches.add(key.columns().get(i) + " = CAST(? AS " + key.types().get(i) + ")");
        }
        try (PreparedStatement ps = c.prepareStatement(statement + String.join(" AND ", matches))) {
            for (List<String> parts : keys) {
                bindKey(ps, parts);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bindKey(PreparedStatement ps, List<String> parts) throws SQLException {
        for (int p = 0; p < parts.size(); p++) {
            ps.setString(p + 1, parts.get(p));
        }
    }

    /** The table a run's diff is materialised in (created in the run's transaction, gone with its rollback). */
    default String diffTable(String schema, String snapshotTable) {
        return "rowcast_diff";
    }

    /** Creates {@code table} from {@code select}. */
    default String createDiffTable(String table, String select) {
        return "CREATE TEMPORARY TABLE " + table + " AS " + select;
    }

    /** Session settings for the transaction that computes the diff (planner hints), run before it. */
    default List<String> diffSettings() {
        return List.of();
    }

    /** Creates, if missing, the one-column list of snapshots known whole (see SnapshotCompleteness). */
    default String createCompletionList(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (snapshot_table VARCHAR(200) PRIMARY KEY)";
    }

    default String emptySnapshot(String table) {
        return "TRUNCATE TABLE " + table;
    }

    default String dropSnapshot(String schema, String table) {
        return "DROP TABLE IF EXISTS " + schema + "." + table;
    }

    /**
     * Whether the warehouse itself guarantees that {@code model} returns each key at most once (a primary key
     * or unique index proves it), so looking for duplicate keys would be wasted work. False when unsure.
     */
    default boolean provesKeyUnique(Connection c, String model, List<String> keyColumns) throws SQLException {
        return false;
    }

    static WarehouseDialect of(DataSource warehouse) {
        return find(warehouse).orElseThrow(() -> new IllegalArgumentException("state: warehouse is not available for "
                + productName(warehouse) + " yet (PostgreSQL and DuckDB are); use state: local"));
    }

    /** The dialect of the warehouse, if Rowcast has one for it. */
    static Optional<WarehouseDialect> find(DataSource warehouse) {
        String product = productName(warehouse).toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return Optional.of(new PostgresDialect());
        }
        if (product.contains("duckdb")) {
            return Optional.of(new DuckDbDialect());
        }
        return Optional.empty();
    }

    private static String productName(DataSource warehouse) {
        try (Connection c = warehouse.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the warehouse: " + e.getMessage(), e);
        }
    }
}
