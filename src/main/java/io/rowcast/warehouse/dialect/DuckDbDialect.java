package io.rowcast.warehouse.dialect;

import java.util.List;
import java.util.Set;

/** DuckDB (hash of the row as JSON). */
public class DuckDbDialect extends AnsiDialect {

    /**
     * DuckDB's driver names every enum type ENUM, which is no type to cast to. The key's text is left as text:
     * DuckDB compares it with the enum column and casts it on insert.
     */
    @Override
    public String castType(String jdbcTypeName) {
        return "ENUM".equalsIgnoreCase(jdbcTypeName) ? "VARCHAR" : jdbcTypeName;
    }

    /** Every DuckDB type has a JSON form, so the row's JSON is hashed whatever its columns. */
    @Override
    public String fingerprint(String alias, long seed, List<String> columns, Set<String> asText) {
        return "CAST(hash(CAST(" + seed + " AS BIGINT), CAST(to_json(" + alias + ") AS VARCHAR)) >> 2 AS BIGINT)";
    }
}
