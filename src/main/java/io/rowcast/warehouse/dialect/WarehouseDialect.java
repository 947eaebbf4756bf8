package io.rowcast.warehouse.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * What the in-warehouse change-detection engine needs to say in one warehouse's SQL. Adding Snowflake,
 * BigQuery or Redshift is one class implementing this, plus a line in {@link #of}.
 */
public interface WarehouseDialect {

    /** The text form of a row's key; NULL when any part is NULL. */
    String keyText(List<String> columns, String alias);

    /** A 62-bit fingerprint of every column of {@code alias}, seeded (the seed carries the route's mapping files). */
    String fingerprint(String alias, long seed);

    /** Creates the schema and the snapshot table (row_key text primary key, fingerprint bigint) if missing. */
    List<String> createSnapshot(String schema, String table);

    /** Insert-or-update of (row_key, fingerprint) into the snapshot table, two parameters. */
    String upsertSnapshot(String schema, String table);

    /** Writes accepted rows' (key, fingerprint) pairs into the snapshot table, in the connection's transaction. */
    default void upsertSnapshot(Connection c, String schema, String table, List<String> keys, List<Long> fingerprints)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertSnapshot(schema, table))) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setString(1, keys.get(i));
                ps.setLong(2, fingerprints.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
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

    default String deleteFromSnapshot(String schema, String table) {
        return "DELETE FROM " + schema + "." + table + " WHERE row_key = ?";
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
