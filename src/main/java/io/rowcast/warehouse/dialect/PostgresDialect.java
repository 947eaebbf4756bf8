package io.rowcast.warehouse.dialect;

import java.util.List;

/** PostgreSQL 14 and later (hash_record_extended: the row hashed as it is, no text conversion). */
public class PostgresDialect extends AnsiDialect {

    /**
     * The planner prices gathering the diff's rows as if the whole model came out of the join, and so plans
     * it on one core; only the changed rows do, so let it plan the scans, hashes and join in parallel
     * (half the time on two cores). Local to the diff's transaction.
     */
    @Override
    public List<String> diffSettings() {
        return List.of("SET LOCAL parallel_tuple_cost = 0");
    }

    /**
     * Not a temporary table: PostgreSQL's parallel workers cannot read those, and the duplicate check joins
     * the model with the diff. Unlogged (nothing to replay) and uncommitted, so no other session sees it.
     */
    @Override
    public String diffTable(String schema, String snapshotTable) {
        return schema + ".diff_" + snapshotTable.replaceFirst("^snapshot_", "");
    }

    @Override
    public String createDiffTable(String table, String select) {
        return "CREATE UNLOGGED TABLE " + table + " AS " + select;
    }

    /**
     * Pages kept a fifth empty: a run updates a changed row's fingerprint where it is (a HOT update, no new
     * index entry), which makes committing accepted rows to a large snapshot markedly cheaper.
     */
    @Override
    public List<String> createSnapshot(String schema, String table) {
        return super.createSnapshot(schema, table).stream()
                .map(ddl -> ddl.startsWith("CREATE TABLE") ? ddl + " WITH (fillfactor = 80)" : ddl).toList();
    }

    @Override
    String textType() { return "TEXT"; }

    @Override
    public String fingerprint(String alias, long seed) {
        return "(hash_record_extended(" + alias + ", " + seed + ") & 4611686018427387903)";
    }
}
