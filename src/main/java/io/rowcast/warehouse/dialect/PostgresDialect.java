package io.rowcast.warehouse.dialect;

/** PostgreSQL 14 and later (hash_record_extended: the row hashed as it is, no text conversion). */
public class PostgresDialect extends AnsiDialect {

    @Override
    String textType() { return "TEXT"; }

    @Override
    public String fingerprint(String alias, long seed) {
        return "(hash_record_extended(" + alias + ", " + seed + ") & 4611686018427387903)";
    }
}
