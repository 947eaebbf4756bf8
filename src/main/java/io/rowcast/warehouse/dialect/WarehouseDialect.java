package io.rowcast.warehouse.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

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

    static WarehouseDialect of(DataSource warehouse) {
        String product;
        try (Connection c = warehouse.getConnection()) {
            product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the warehouse: " + e.getMessage(), e);
        }
        if (product.contains("postgres")) {
            return new PostgresDialect();
        }
        if (product.contains("duckdb")) {
            return new DuckDbDialect();
        }
        throw new IllegalArgumentException("state: warehouse is not available for " + product
                + " yet (PostgreSQL and DuckDB are); use state: local");
    }
}
