package io.rowcast.warehouse.dialect;

/** DuckDB (hash of the row as JSON). */
public class DuckDbDialect extends AnsiDialect {

    @Override
    public String fingerprint(String alias, long seed) {
        return "CAST(hash(CAST(" + seed + " AS BIGINT), CAST(to_json(" + alias + ") AS VARCHAR)) >> 2 AS BIGINT)";
    }
}
