package io.rowcast.warehouse.dialect;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What PostgreSQL and DuckDB say alike: key text, the snapshot table and its upsert. A dialect for
 * another warehouse extends this, or implements {@link WarehouseDialect} from scratch where it differs.
 */
abstract class AnsiDialect implements WarehouseDialect {

    /** The warehouse's name for a text type: TEXT, VARCHAR, STRING. */
    abstract String textType();

    @Override
    public String keyText(List<String> columns, String alias) {
        if (columns.size() == 1) {
            return "CAST(" + alias + "." + columns.get(0) + " AS " + textType() + ")";
        }
        String anyNull = columns.stream().map(c -> alias + "." + c + " IS NULL").collect(Collectors.joining(" OR "));
        // the same text as Rowcast's own composite keys: a JSON array of the parts as strings
        String joined = "'[' || " + columns.stream()
                .map(c -> "CAST(to_json(CAST(" + alias + "." + c + " AS " + textType() + ")) AS " + textType() + ")")
                .collect(Collectors.joining(" || ',' || ")) + " || ']'";
        return "CASE WHEN " + anyNull + " THEN NULL ELSE " + joined + " END";
    }

    @Override
    public List<String> createSnapshot(String schema, String table) {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + schema, "CREATE TABLE IF NOT EXISTS " + schema + "." + table
                + " (row_key " + textType() + " PRIMARY KEY, fingerprint BIGINT NOT NULL)");
    }

    @Override
    public String upsertSnapshot(String schema, String table) {
        return "INSERT INTO " + schema + "." + table + " (row_key, fingerprint) VALUES (?, ?)"
                + " ON CONFLICT (row_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint";
    }
}
