package io.rowcast.warehouse.dialect;

import java.util.List;
import java.util.stream.Collectors;

/** PostgreSQL 14 and later (hash_record_extended: the row hashed as it is, no text conversion). */
public class PostgresDialect implements WarehouseDialect {

    @Override
    public String keyText(List<String> columns, String alias) {
        if (columns.size() == 1) {
            return "CAST(" + alias + "." + columns.get(0) + " AS TEXT)";
        }
        String anyNull = columns.stream().map(c -> alias + "." + c + " IS NULL").collect(Collectors.joining(" OR "));
        // the same text as Rowcast's own composite keys: a JSON array of the parts as strings
        String joined = "'[' || " + columns.stream().map(c -> "CAST(to_json(CAST(" + alias + "." + c + " AS TEXT)) AS TEXT)")
                .collect(Collectors.joining(" || ',' || ")) + " || ']'";
        return "CASE WHEN " + anyNull + " THEN NULL ELSE " + joined + " END";
    }

    @Override
    public String fingerprint(String alias, long seed) {
        return "(hash_record_extended(" + alias + ", " + seed + ") & 4611686018427387903)";
    }

    @Override
    public List<String> createSnapshot(String schema, String table) {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + schema + "." + table + " (row_key TEXT PRIMARY KEY, fingerprint BIGINT NOT NULL)");
    }

    @Override
    public String upsertSnapshot(String schema, String table) {
        return "INSERT INTO " + schema + "." + table + " (row_key, fingerprint) VALUES (?, ?)"
                + " ON CONFLICT (row_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint";
    }
}
