package io.rowcast.warehouse.dialect;

import java.util.List;

/**
 * What PostgreSQL and DuckDB say alike: the snapshot table made from the model's own key columns
 * ({@code CREATE TABLE ... AS ... WITH NO DATA}, so it has the model's types) with a primary key on them.
 * A dialect for another warehouse extends this, or implements {@link WarehouseDialect} from scratch.
 */
abstract class AnsiDialect implements WarehouseDialect {

    @Override
    public List<String> createSnapshot(String schema, String table, String model, List<String> keyColumns) {
        String keys = String.join(", ", keyColumns);
        return List.of(createTable(schema + "." + table, "SELECT " + String.join(", ", keyColumns.stream().map(k -> "m." + k).toList())
                        + ", CAST(0 AS BIGINT) AS " + FINGERPRINT + ", CAST(NULL AS VARCHAR) AS " + LEDGER_AT
                        + " FROM (" + model + ") m"),
                "ALTER TABLE " + schema + "." + table + " ADD PRIMARY KEY (" + keys + ")");
    }

    /** A table of {@code select}'s columns and types, without its rows. */
    String createTable(String table, String select) {
        return "CREATE TABLE " + table + " AS " + select + " WITH NO DATA";
    }
}
