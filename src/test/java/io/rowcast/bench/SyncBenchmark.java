package io.rowcast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.delivery.Outcome;
import io.rowcast.state.StateStore;
import io.rowcast.sync.BatchItem;
import io.rowcast.sync.RunCounter;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.SyncMode;
import io.rowcast.sync.SyncRun;
import io.rowcast.sync.SyncSettings;
import io.rowcast.testing.TestPostgres;

/**
 * The change-detection benchmark (README, "Performance"). A PostgreSQL model of N rows by 8 columns;
 * runs of the local engine and of the warehouse engine, each beside the floor, a plain streaming JDBC read
 * of the same query: (a) first run, N adds; (b) 1% of rows changed; (c) nothing changed. The destination
 * accepts every record on its own threads, so the figures are Rowcast's own cost: read, fingerprint, plan,
 * commit state. Before each phase the previous phase's clean-up is finished, as it would be between two
 * scheduled runs: autovacuum awaited, the databases vacuumed and analysed, a checkpoint, the file systems synced.
 *
 * <p>Run: {@code ./mvnw -Pbench verify} (N = 10,000,000, -Xmx512m); {@code -Dbench.rows=...} for fewer rows,
 * {@code -Dbench.engines=local} or {@code warehouse} for one engine's phases only, {@code -Dbench.repeat=N} for N
 * measurements of (wb).
 */
public final class SyncBenchmark {

    private static HikariDataSource stateDb;

    /** A PostgreSQL backend idle after work flushes its statistics within 10 s: counters are read after this. */
    private static final long STATISTICS_FLUSH_MS = 11_000;

    private static final java.util.concurrent.ExecutorService DESTINATION = java.util.concurrent.Executors.newFixedThreadPool(4);

    private static final String QUERY =
            "SELECT id, email, name, country, plan, score, active, updated_at FROM bench_users";

    /** The same rows, but PostgreSQL can no longer prove the key unique, so the duplicate check runs. */
    private static final String UNPROVEN_KEY_QUERY = QUERY.replace("SELECT id,", "SELECT id + 0 AS id,");

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("bench.rows", 10_000_000L);
        String engines = System.getProperty("bench.engines", "local,warehouse");
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench-results.md");
        try (HikariDataSource warehouse = pool(TestPostgres.url("bench_warehouse"));
             HikariDataSource stateDb = pool(TestPostgres.url("bench_state"))) {
            SyncBenchmark.stateDb = stateDb;
            StateStore state = new StateStore(stateDb);
            state.migrate();
            exec(stateDb, "TRUNCATE sync_row, sync_row_rejection, sync_run, sync_lock, sync_cursor, sync_row_image");
            exec(warehouse, "DROP SCHEMA IF EXISTS rowcast CASCADE");
            log("creating the model: " + rows + " rows");
            exec(warehouse, "DROP TABLE IF EXISTS bench_users");
            exec(warehouse, "CREATE TABLE bench_users (id BIGINT PRIMARY KEY, email TEXT, name TEXT, country TEXT,"
                    + " plan TEXT, score NUMERIC(10,2), active BOOLEAN, updated_at TIMESTAMP)");
            exec(warehouse, "INSERT INTO bench_users SELECT g, 'user' || g || '@example.com', 'User number ' || g,"
                    + " (ARRAY['GB','US','DE','FR','IN'])[1 + g % 5], (ARRAY['free','pro','enterprise'])[1 + g % 3],"
                    + " (g % 100000) / 100.0, g % 2 = 0, TIMESTAMP '2026-01-01' + g * INTERVAL '1 second'"
                    + " FROM generate_series(1, " + rows + ") g");
            exec(warehouse, "VACUUM ANALYZE bench_users");

            List<String> lines = new ArrayList<>();
            String summary = null;
            if (engines.contains("local")) {
                lines.add(phase("a", "local: first run, every row added", warehouse, state, rows, false, true).line());
                changeOnePercent(warehouse);
                lines.add(phase("b", "local: 1% of rows changed", warehouse, state, rows / 100, false, true).line());
                lines.add(phase("c", "local: nothing changed", warehouse, state, 0, false, true).line());
                lines.add(phase("c'", "local: nothing changed, key not provably unique", warehouse, state, 0, false, false).line());
            }
            if (engines.contains("warehouse")) {
                lines.add(phase("wa", "warehouse: first run, every row added", warehouse, state, rows, true, true).line());
                // (wb) is the closest to its target and these machines are noisy: -Dbench.repeat=N measures it N times
                List<Double> ratios = new ArrayList<>();
                for (int i = 1; i <= Integer.getInteger("bench.repeat", 1); i++) {
                    changeOnePercent(warehouse);
                    Phase wb = phase(i == 1 ? "wb" : "wb#" + i, "warehouse: 1% of rows changed", warehouse, state, rows / 100,
                            true, true);
                    lines.add(wb.line());
                    ratios.add(wb.ratio());
                }
                summary = summary(ratios);
                changeOnePercent(warehouse);
                lines.add(phase("wb'", "warehouse: 1% changed, key not provably unique", warehouse, state, rows / 100, true, false).line());
                lines.add(phase("wc", "warehouse: nothing changed", warehouse, state, 0, true, true).line());
            }
            write(out, rows, lines, summary);
            log("results written to " + out.toAbsolutePath());
        }
        System.exit(0);
    }

    private static void changeOnePercent(HikariDataSource warehouse) throws SQLException {
        exec(warehouse, "UPDATE bench_users SET score = score + 1 WHERE id % 100 = 0");
        exec(warehouse, "VACUUM ANALYZE bench_users");
    }

    /** A phase's line of the results table, and its ratio to the floor. */
    private record Phase(String line, double ratio) { }

    private static Phase phase(String id, String what, HikariDataSource warehouse, StateStore state, long expectedPlanned,
                                boolean warehouseEngine, boolean provableKey) throws Exception {
        String query = provableKey ? QUERY : UNPROVEN_KEY_QUERY;
        // what autovacuum, the checkpointer and the kernel do in the minutes between two scheduled runs, done
        // before the clock starts: the previous run's writes are flushed (not slowing this run), and this run's
        // first write to each page logs a full-page image, as it would after checkpoint_timeout (one cluster
        // holds both). A checkpoint does not flush unlogged tables (the snapshot, the diff); the kernel holds the
        // previous phase's 1-2 GB of them and would write them back during this one: hence the sync. Autovacuum
        // still at work on the previous phase's writes is waited for first (once, with it running, the VACUUM
        // left the 1% update's dead rows for the floor's read to prune). It may still start later.
        awaitAutovacuum(warehouse);
        exec(warehouse, "VACUUM ANALYZE");
        exec(stateDb, "VACUUM ANALYZE");
        exec(warehouse, "CHECKPOINT");
        syncFileSystems();
        System.gc();
        resetPeaks();
        Duration floorBefore = floor(warehouse, query);
        long floorHeap = peakHeapMb();
        long floorRss = peakRssMb();
        Thread.sleep(STATISTICS_FLUSH_MS);
        System.gc();
        resetPeaks();
        var before = ClusterCounters.read(warehouse, stateDb);
        Instant start = Instant.now();
        SyncSettings settings = new SyncSettings(warehouseEngine ? "bench-warehouse" : "bench", query, "id", SyncMode.UPSERT,
                SyncMode.RemovedRows.IGNORE, 1000, 4, 1000, 10, true, null, null, warehouseEngine);
        // as a real destination does, the answer arrives on another thread (an HTTP client's)
        RunRecord run = new SyncRun(settings, warehouse, state, (batch, done) -> DESTINATION.execute(() -> {
            for (BatchItem item : batch.items()) {
                item.settle(Outcome.accept());
            }
            done.accept(null);
        }), "bench-mapping", false).execute();
        Duration wall = Duration.between(start, Instant.now());
        long runHeap = peakHeapMb();
        long runRss = peakRssMb();
        Thread.sleep(STATISTICS_FLUSH_MS);
        log("counters " + id + ": " + ClusterCounters.delta(before, ClusterCounters.read(warehouse, stateDb)));
        // the floor is read again after the run and the faster read counts: whatever slows a phase's
        // surroundings then slows the run, not the floor it is compared with
        Duration floorAfter = floor(warehouse, query);
        Duration floor = floorBefore.compareTo(floorAfter) <= 0 ? floorBefore : floorAfter;
        long planned = run.count(RunCounter.PLANNED_ADDED) + run.count(RunCounter.PLANNED_CHANGED);
        if (planned != expectedPlanned || run.error() != null) {
            throw new IllegalStateException("phase " + id + " planned " + planned + ", expected " + expectedPlanned
                    + (run.error() == null ? "" : " (" + run.error() + ")"));
        }
        String line = String.format(Locale.ROOT, "| (%s) %s | %,d | %,d | %.1f | %.1f | %.2f | %.1f, %.1f | %d | %d | %d | %d |",
                id, what, planned, run.rowsRead(), wall.toMillis() / 1000.0, floor.toMillis() / 1000.0,
                (double) wall.toMillis() / floor.toMillis(), floorBefore.toMillis() / 1000.0, floorAfter.toMillis() / 1000.0,
                runHeap, runRss, floorHeap, floorRss);
        log(line);
        return new Phase(line, (double) wall.toMillis() / floor.toMillis());
    }

    private static void awaitAutovacuum(HikariDataSource cluster) throws SQLException, InterruptedException {
        Instant start = Instant.now();
        while (Duration.between(start, Instant.now()).toMinutes() < 10) {
            try (Connection c = cluster.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        log("autovacuum waited for " + Duration.between(start, Instant.now()).toMillis() + " ms"
                + (Duration.between(start, Instant.now()).toMinutes() >= 10 ? " (gave up: still running)" : ""));
    }

    private static void syncFileSystems() throws IOException, InterruptedException {
        long dirtyKb = ClusterCounters.meminfoKb("Dirty");
        Instant start = Instant.now();
        int exit = new ProcessBuilder("sync").inheritIO().start().waitFor();
        log("sync (exit " + exit + ") took " + Duration.between(start, Instant.now()).toMillis() + " ms; "
                + (dirtyKb >> 10) + " MiB were dirty before it");
    }

    /** The floor: read every row and column of the model with a plain streaming JDBC cursor. */
    private static Duration floor(HikariDataSource warehouse, String query) throws SQLException {
        Instant start = Instant.now();
        long n = 0;
        try (Connection c = warehouse.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                        n++;
                    }
                }
            }
            c.rollback();
        }
        log("floor read " + n + " rows");
        return Duration.between(start, Instant.now());
    }

    /** Heap in use, sampled every 10 ms: the pools' own peaks cannot be summed (they peak at different times). */
    private static final java.util.concurrent.atomic.AtomicLong PEAK_HEAP = new java.util.concurrent.atomic.AtomicLong();

    static {
        Thread sampler = new Thread(() -> {
            while (true) {
                PEAK_HEAP.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void resetPeaks() throws IOException {
        PEAK_HEAP.set(0);
        Path clearRefs = Path.of("/proc/self/clear_refs");
        if (Files.isWritable(clearRefs)) {
            Files.writeString(clearRefs, "5");   // resets the kernel's peak RSS (VmHWM)
        }
    }

    private static long peakHeapMb() {
        return PEAK_HEAP.get() >> 20;
    }

    private static long peakRssMb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) >> 10).findFirst().orElse(-1L);
    }

    /** The (wb) measurements' ratios, sorted, and their median: one (wb) alone says little on a noisy machine. */
    private static String summary(List<Double> ratios) {
        List<Double> sorted = ratios.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        String line = String.format(Locale.ROOT, "(wb) ratio to the floor over %d measurements: median %.2f; all, sorted: %s",
                n, median, sorted.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
        log(line);
        return line;
    }

    private static void write(Path out, long rows, List<String> lines, String summary) throws IOException {
        long memKb = ClusterCounters.meminfoKb("MemTotal");
        List<String> text = new ArrayList<>();
        text.add("# Change-detection benchmark");
        text.add("");
        text.add(String.format(Locale.ROOT, "%s; %d cores, %.0f GiB; Java %s; max heap %d MiB; %,d rows x 8 columns;"
                        + " PostgreSQL (embedded) as warehouse and state store; mode upsert; batches of 1000, 4 in flight;"
                + " the destination accepts every record, answering on its own threads; before each phase autovacuum awaited,"
                + " then VACUUM ANALYZE, CHECKPOINT and a file-system sync; the floor is the faster of two reads, before and after the run;"
                + " peak heap is heap in use (garbage included), sampled every 10 ms.",
                Instant.now(), Runtime.getRuntime().availableProcessors(), memKb / 1048576.0,
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, rows));
        text.add("");
        text.add("| phase | planned | rows out of the warehouse | wall s | floor s | ratio | floor before, after s | peak heap MiB | peak RSS MiB | floor heap MiB | floor RSS MiB |");
        text.add("|---|---|---|---|---|---|---|---|---|---|---|");
        text.addAll(lines);
        if (summary != null) {
            text.add("");
            text.add(summary);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, text);
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(8);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    private static void exec(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " bench: " + message);
    }

    private SyncBenchmark() { }
}
