package io.rowcast.warehouse.dialect;

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

    @Override
    public String fingerprint(String alias, long seed) {
        return "CAST(hash(CAST(" + seed + " AS BIGINT), CAST(to_json(" + alias + ") AS VARCHAR)) >> 2 AS BIGINT)";
    }
}
