package io.rowcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

/** Cumulative counters of the cluster, the kernel and the JVM, read before and after a phase to see where its time went. */
final class ClusterCounters {

    private ClusterCounters() { }

    static Map<String, Long> read(DataSource warehouse, DataSource state) throws SQLException, IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        query(warehouse, "SELECT wal_records, wal_fpi, wal_bytes::bigint, wal_write, wal_sync FROM pg_stat_wal", "", m);
        query(warehouse, "SELECT buffers_checkpoint, buffers_clean, buffers_backend, checkpoints_req, checkpoints_timed"
                + " FROM pg_stat_bgwriter", "", m);
        query(warehouse, "SELECT temp_bytes, blks_read, blks_hit FROM pg_stat_database WHERE datname = current_database()", "wh_", m);
        query(state, "SELECT temp_bytes, blks_read, blks_hit FROM pg_stat_database WHERE datname = current_database()", "st_", m);
        query(state, "SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'sync_row'",
                "sync_row_", m);
        query(warehouse, "SELECT sum(autovacuum_count + autoanalyze_count)::bigint AS autovacuums FROM pg_stat_user_tables", "wh_", m);
        query(state, "SELECT sum(autovacuum_count + autoanalyze_count)::bigint AS autovacuums FROM pg_stat_user_tables", "st_", m);
        query(warehouse, "SELECT count(*) AS autovacuum_workers FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'", "now_", m);
        query(warehouse, "SELECT sum(n_tup_upd)::bigint AS upd, sum(n_tup_hot_upd)::bigint AS hot, sum(n_tup_ins)::bigint AS ins"
                + " FROM pg_stat_user_tables WHERE schemaname = 'rowcast'", "snap_", m);
        m.put("kb_Dirty", meminfoKb("Dirty"));
        m.put("kb_Writeback", meminfoKb("Writeback"));
        for (String line : Files.readAllLines(Path.of("/proc/vmstat"))) {
            String[] kv = line.split(" ");
            if (kv[0].equals("pgpgout") || kv[0].equals("pgpgin") || kv[0].equals("nr_dirtied") || kv[0].equals("nr_written")
                    || kv[0].equals("pgmajfault") || kv[0].equals("pgscan_kswapd")) {
                m.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        long gcMs = 0;
        long gcs = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += gc.getCollectionTime();
            gcs += gc.getCollectionCount();
        }
        m.put("gc_ms", gcMs);
        m.put("gcs", gcs);
        return m;
    }

    /** A /proc/meminfo field, in kB (0 where there is none). */
    static long meminfoKb(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith(field + ":"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    }

    static String delta(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder s = new StringBuilder();
        after.forEach((k, v) -> s.append(k).append('=').append(k.startsWith("kb_") || k.startsWith("now_") ? before.get(k) + "->" + v : v - before.getOrDefault(k, 0L))
                .append(' '));
        return s.toString().trim();
    }

    private static void query(DataSource ds, String sql, String prefix, Map<String, Long> m) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData meta = rs.getMetaData();
                if (rs.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        m.put(prefix + meta.getColumnLabel(i), rs.getLong(i));
                    }
                }
            }
        }
    }
}
