package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.rowcast.sync.Change;
import io.rowcast.sync.RowFingerprint;
import org.flywaydb.core.Flyway;

/**
 * The JDBC state store: the latest state of every row ({@code sync_row}) and every rejection
 * ({@code sync_row_rejection}) here, and through its parts the run history ({@link RunLedger}), the
 * saved rows in bulk ({@link SavedRows}), the lease ({@link SyncLease}) and cursors ({@link SyncCursors}).
 * Its schema is owned by the Flyway migrations in {@code db/state}.
 */
public class StateStore {

    private final DataSource dataSource;
    private final boolean postgres;

    private final SavedRows savedRows;
    private final RunLedger ledger;
    private final SyncLease lease;
    private final SyncCursors cursors;
    private final SnapshotColumns snapshotColumns;

    public StateStore(DataSource dataSource) {
        this(dataSource, 100_000, 0.1);
    }

    /**
     * @param minImageRows syncs with fewer rows get no state image; {@code retakeShare}: its base is retaken
     *                     when the rows committed since reach this share of it (see {@link SavedRows})
     */
    public StateStore(DataSource dataSource, long minImageRows, double retakeShare) {
        this.dataSource = dataSource;
        this.postgres = productName(dataSource).toLowerCase().contains("postgres");
        this.savedRows = new SavedRows(dataSource, postgres, minImageRows, retakeShare);
        this.ledger = new RunLedger(dataSource);
        this.lease = new SyncLease(dataSource);
        this.cursors = new SyncCursors(dataSource);
        this.snapshotColumns = new SnapshotColumns(dataSource);
    }

    /** Runs of every sync. */
    public RunLedger ledger() { return ledger; }

    /** The lease that makes a sync run once at a time. */
    public SyncLease lease() { return lease; }

    /** Cursor-mode positions. */
    public SyncCursors cursors() { return cursors; }

    /** The model columns each warehouse snapshot was fingerprinted with. */
    public SnapshotColumns snapshotColumns() { return snapshotColumns; }

    /** Brings the schema up to date; safe to call from several processes at once. */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/state")
                .javaMigrations(new DeadRowsIndexMigration())
                .table("rowcast_schema_history")
                .load()
                .migrate();
    }

    /** Streams the keys whose current version is in the destination (delivered at least once, not deleted). */
    public void forEachDeliveredKey(String syncId, java.util.function.BiConsumer<String, Long> visitor) {
        forEachDelivered(syncId, (key, keyHash, fingerprint, status, lastRun) -> visitor.accept(key, keyHash));
    }

    /** As {@link #forEachDeliveredKey}, with the fingerprint of the version the destination has. */
    public void forEachDeliveredFingerprint(String syncId, java.util.function.ObjLongConsumer<String> visitor) {
        forEachDelivered(syncId, (key, keyHash, fingerprint, status, lastRun) -> visitor.accept(key, fingerprint));
    }

    /** A delivered key, the fingerprint of the version the destination has, and whether a later change of it is pending. */
    @FunctionalInterface
    public interface DeliveredVersion {
        void visit(String key, long fingerprint, boolean pending);
    }

    /**
     * As {@link #forEachDeliveredFingerprint}, also saying which keys have a change or delete the destination
     * refused since (rejected or dead), or were last sent before run {@code sentSince} (a rename's first run,
     * which sends every row again): the warehouse engine's restored snapshot marks those to be sent again.
     */
    public void forEachDeliveredVersion(String syncId, long sentSince, DeliveredVersion visitor) {
        forEachDelivered(syncId, (key, keyHash, fingerprint, status, lastRun) -> visitor.visit(key, fingerprint,
                !"delivered".equals(status) || lastRun < sentSince));
    }

    /**
     * A ledger row as a warehouse snapshot mirrors it: {@code fingerprint} null when no version of it is delivered,
     * {@code lastRun} the run that last wrote it.
     */
    public interface LedgerRow {
        void visit(String key, Long fingerprint, String status, long lastRun);
    }

    /** Streams the ledger rows that runs after {@code runId} last wrote, in one read. */
    public void forEachRowWrittenAfter(String syncId, long runId, LedgerRow visitor) {
        stream("Could not read the rows of " + syncId, "SELECT row_key, fingerprint, status, last_run_id FROM sync_row"
                + " WHERE sync_id = ? AND last_run_id > ?", rs -> {
                    String key = rs.getString(1);
                    long fingerprint = rs.getLong(2);   // (wasNull right after it: NULL when none was delivered)
                    visitor.visit(key, rs.wasNull() ? null : fingerprint, rs.getString(3), rs.getLong(4));
                }, syncId, runId);
    }

    /** Whether the destination has any of the sync's rows, as far as the ledger knows. */
    public boolean hasDeliveredRows(String syncId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM sync_row WHERE sync_id = ? AND fingerprint IS NOT NULL LIMIT 1")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the delivered rows of " + syncId, e);
        }
    }

    private interface DeliveredVisitor {
        void visit(String key, long keyHash, long fingerprint, String status, long lastRun);
    }

    /**
     * Streams the delivered rows in one read. (Paging in key order would free the read between pages, but
     * on PostgreSQL it turns a sequential scan of a 10-million-row sync into as many random heap reads.)
     */
    private void forEachDelivered(String syncId, DeliveredVisitor visitor) {
        stream("Could not read the delivered rows of " + syncId, "SELECT row_key, key_hash, fingerprint, status, last_run_id"
                + " FROM sync_row WHERE sync_id = ? AND fingerprint IS NOT NULL", rs -> {
                    String key = rs.getString(1);
                    long h = rs.getLong(2);   // (wasNull right after it: rows saved before V3 have no key hash)
                    visitor.visit(key, rs.wasNull() ? RowFingerprint.keyHash(key) : h, rs.getLong(3), rs.getString(4),
                            rs.getLong(5));
                }, syncId);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} in a read-only transaction, fetching 10,000 rows at a time, handing each row to {@code reader}. */
    private void stream(String failure, String sql, RowReader reader, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(10_000);
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StateStoreException(failure, e);
        }
    }

    /** The sync's saved rows in bulk, and their compact images. */
    public SavedRows savedRows() { return savedRows; }

    /** Key hashes of a sync's dead rows (attempts exhausted): usually few, read through an index. */
    public it.unimi.dsi.fastutil.longs.LongOpenHashSet deadKeyHashes(String syncId) {
        return deadKeyHashes(syncId, "");
    }

    /** Key hashes of a sync's rows whose delete ran out of attempts. */
    public it.unimi.dsi.fastutil.longs.LongOpenHashSet deadDeleteKeyHashes(String syncId) {
        return deadKeyHashes(syncId, " AND operation = 'removed'");
    }

    private it.unimi.dsi.fastutil.longs.LongOpenHashSet deadKeyHashes(String syncId, String andAlso) {
        it.unimi.dsi.fastutil.longs.LongOpenHashSet dead = new it.unimi.dsi.fastutil.longs.LongOpenHashSet();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT key_hash, row_key FROM sync_row WHERE sync_id = ? AND status = 'dead'" + andAlso)) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long h = rs.getLong(1);
                    dead.add(rs.wasNull() ? RowFingerprint.keyHash(rs.getString(2)) : h);
                }
            }
            return dead;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the dead rows of " + syncId, e);
        }
    }

    /**
     * Commits one batch's outcomes in one transaction: accepted rows become delivered with their
     * fingerprint; rejected rows count an attempt and turn dead at {@code maxAttempts}.
     */
    public void recordOutcomes(String syncId, long runId, Collection<Delivery> delivered, Collection<Rejection> rejections,
                               int maxAttempts) {
        recordOutcomes(syncId, runId, 0, false, delivered, rejections, maxAttempts);
    }

    /**
     * As above; with {@code image}, the batch's rows as they now are also become a part of the sync's state
     * image ({@link SavedRows}), in the same transaction. Returns where each delivered row of {@code sync_row}
     * now is, by key, on PostgreSQL (empty elsewhere): given back as {@link Delivery#position}, a later
     * delivery updates the row there.
     */
    public Map<String, String> recordOutcomes(String syncId, long runId, int batch, boolean image, Collection<Delivery> delivered,
                                              Collection<Rejection> rejections, int maxAttempts) {
        Timestamp now = Timestamp.from(Instant.now());
        return StateSql.inTransaction(dataSource, "Could not record the outcomes of a batch of run " + runId, c -> {
            List<Delivery> deletions = delivered.stream().filter(d -> d.change() == Change.REMOVED).toList();
            if (!deletions.isEmpty()) {
                // deleted in the destination: no version there any more, so a comeback is an add
                try (PreparedStatement ps = c.prepareStatement("UPDATE sync_row SET status = 'deleted', fingerprint = NULL,"
                        + " operation = 'removed', attempts = 0, last_code = NULL, last_error = NULL, last_run_id = ?,"
                        + " updated_at = ?, last_sent_at = ? WHERE sync_id = ? AND row_key = ?")) {
                    for (Delivery d : deletions) {
                        ps.setLong(1, runId);
                        ps.setTimestamp(2, now);
                        ps.setTimestamp(3, now);
                        ps.setString(4, syncId);
                        ps.setString(5, d.key());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            List<Delivery> upserts = delivered.stream().filter(d -> d.change() != Change.REMOVED).toList();
            Map<String, String> positions = Map.of();
            if (!upserts.isEmpty() && postgres) {
                positions = PostgresDeliveries.write(c, syncId, runId, now, upserts, DELIVERED);
            } else if (!upserts.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(upsertDelivered())) {
                    for (Delivery d : upserts) {
                        ps.setString(1, syncId);
                        ps.setString(2, d.key());
                        ps.setLong(3, d.fingerprint());
                        ps.setString(4, d.change().value());
                        ps.setLong(5, runId);
                        ps.setTimestamp(6, now);
                        ps.setLong(7, RowFingerprint.keyHash(d.key()));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!rejections.isEmpty()) {
                // one ledger row, and one attempt, per key: a batch may refuse a key twice (duplicates with
                // checkDuplicates off), which one PostgreSQL INSERT ... ON CONFLICT refuses to update twice
                Collection<Rejection> latest = rejections.stream().collect(java.util.stream.Collectors.toMap(
                        Rejection::key, r -> r, (first, last) -> last, java.util.LinkedHashMap::new)).values();
                for (boolean attempts : new boolean[] {true, false}) {
                    List<Rejection> these = latest.stream().filter(r -> r.attempt() == attempts).toList();
                    if (these.isEmpty()) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement(attempts ? upsertRejected(maxAttempts) : upsertUnanswered())) {
                        for (Rejection r : these) {
                            ps.setString(1, syncId);
                            ps.setString(2, r.key());
                            ps.setString(3, r.change() == null ? null : r.change().value());
                            ps.setString(4, r.code());
                            ps.setString(5, StateSql.clip(r.reason()));
                            ps.setLong(6, runId);
                            ps.setTimestamp(7, now);
                            ps.setLong(8, RowFingerprint.keyHash(r.key()));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                insertRejections(c, syncId, runId, rejections, now);
            }
            if (image) {
                savedRows.append(c, syncId, runId, batch, imagePart(c, syncId, delivered, rejections));
            }
            return positions;
        });
    }

    private Map<String, SavedRow> savedStates(Connection c, String syncId, Collection<String> keys) throws SQLException {
        Map<String, SavedRow> saved = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT row_key, status, fingerprint FROM sync_row WHERE sync_id = ? AND row_key " + keysCondition(keys.size()))) {
            ps.setString(1, syncId);
            bindKeys(c, ps, 2, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long fp = rs.getLong(3);
                    Long fingerprint = rs.wasNull() ? null : fp;
                    saved.put(rs.getString(1), new SavedRow(rs.getString(2), fingerprint));
                }
            }
        }
        return saved;
    }

    /** {@code IN} a list of keys. PostgreSQL: one array parameter, so the statement and its plan are the same for every list. */
    private String keysCondition(int keys) {
        return postgres ? "= ANY (?)" : "IN (" + String.join(",", java.util.Collections.nCopies(keys, "?")) + ")";
    }

    private void bindKeys(Connection c, PreparedStatement ps, int first, Collection<String> keys) throws SQLException {
        if (postgres) {
            ps.setArray(first, c.createArrayOf("varchar", keys.toArray()));
        } else {
            int i = first;
            for (String key : keys) {
                ps.setString(i++, key);
            }
        }
    }

    /** The batch's rows as they now are: deliveries as committed, rejections as the upsert left them (or dead). */
    private SavedRows.BatchPart imagePart(Connection c, String syncId, Collection<Delivery> delivered,
                                          Collection<Rejection> rejections) throws SQLException {
        SavedRows.BatchPart part = new SavedRows.BatchPart(delivered.size() + rejections.size());
        for (Delivery d : delivered) {
            boolean deleted = d.change() == Change.REMOVED;
            part.add(RowFingerprint.keyHash(d.key()), deleted ? "deleted" : "delivered", deleted ? null : d.fingerprint());
        }
        if (!rejections.isEmpty()) {
            savedStates(c, syncId, rejections.stream().map(Rejection::key).toList())
                    .forEach((key, row) -> part.add(RowFingerprint.keyHash(key), row.status(), row.fingerprint()));
        }
        return part;
    }

    /** Rows refused before sending (NULL or duplicate keys): logged per run, the saved state of the key untouched. */
    public void recordRefusals(String syncId, long runId, Collection<Rejection> refusals) {
        try (Connection c = dataSource.getConnection()) {
            insertRejections(c, syncId, runId, refusals, Timestamp.from(Instant.now()));
        } catch (SQLException e) {
            throw new StateStoreException("Could not record the refused rows of run " + runId, e);
        }
    }

    private static void insertRejections(Connection c, String syncId, long runId, Collection<Rejection> rejections,
                                         Timestamp now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_row_rejection"
                + " (run_id, sync_id, row_key, code, reason, rejected_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Rejection r : rejections) {
                ps.setLong(1, runId);
                ps.setString(2, syncId);
                ps.setString(3, fitKey(r.key()));
                ps.setString(4, r.code());
                ps.setString(5, StateSql.clip(r.reason()));
                ps.setTimestamp(6, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public long deadInRun(String syncId, long runId) {
        return StateSql.count(dataSource, "SELECT COUNT(*) FROM sync_row WHERE sync_id = ? AND last_run_id = ? AND status = 'dead'", syncId, runId);
    }

    public long deliveredCount(String syncId) {
        return StateSql.count(dataSource, "SELECT COUNT(*) FROM sync_row WHERE sync_id = ? AND status = 'delivered'", syncId);
    }

    /** Rows of a sync in the given statuses (rejected, dead, delivered), with their latest attempt. */
    public List<RowState> rows(String syncId, Collection<String> statuses, int limit) {
        String sql = "SELECT row_key, status, operation, attempts, last_code, last_error, last_run_id, last_sent_at FROM sync_row"
                + " WHERE sync_id = ? AND status IN (" + String.join(",", java.util.Collections.nCopies(statuses.size(), "?"))
                + ") ORDER BY row_key LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, syncId);
            for (String status : statuses) {
                ps.setString(i++, status);
            }
            ps.setInt(i, limit);
            List<RowState> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp sent = rs.getTimestamp(8);
                    rows.add(new RowState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), rs.getLong(7), sent == null ? null : sent.toInstant()));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the rows of " + syncId, e);
        }
    }

    /** One refusal of one row in one run, as {@code sync_row_rejection} keeps it. */
    public record RejectionRecord(long runId, String key, String code, String reason, Instant rejectedAt) { }

    /**
     * The refusals of one run of a sync (its latest run that has any, when {@code runId} is null), by key: what
     * the mapping, the destination or the planner refused (DUPLICATE_PRIMARY_KEY, NULL_PRIMARY_KEY, ...).
     */
    public List<RejectionRecord> rejections(String syncId, Long runId, int limit) {
        String run = runId != null ? "?" : "(SELECT MAX(run_id) FROM sync_row_rejection WHERE sync_id = ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT run_id, row_key,"
                + " code, reason, rejected_at FROM sync_row_rejection WHERE sync_id = ? AND run_id = " + run
                + " ORDER BY row_key, rejected_at LIMIT ?")) {
            ps.setString(1, syncId);
            if (runId != null) {
                ps.setLong(2, runId);
            } else {
                ps.setString(2, syncId);
            }
            ps.setInt(3, limit);
            List<RejectionRecord> rejections = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rejections.add(new RejectionRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
                }
            }
            return rejections;
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the rejections of " + syncId, e);
        }
    }

    /** Rows whose latest attempt failed: pending retry (rejected) or given up (dead). */
    public List<RowState> rejectedRows(String syncId) {
        return rows(syncId, List.of("rejected", "dead"), 10_000);
    }

    /** Forgets everything a sync delivered (and its cursor), so its next run sends every row. */
    public int forget(String syncId) {
        // one transaction: a resync cut short leaves the state whole, not a cursor gone with its rows kept
        return StateSql.inTransaction(dataSource, "Could not forget the state of " + syncId, c -> {
            int rows = 0;
            for (String table : List.of("sync_cursor", "sync_snapshot_columns", "sync_row_image", "sync_row")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE sync_id = ?")) {
                    ps.setString(1, syncId);
                    rows = ps.executeUpdate();
                }
            }
            return rows;
        });
    }

    /** Forgets the sync's ledger rows that no run from {@code runId} on wrote. Returns how many. */
    public int forgetRowsWrittenBefore(String syncId, long runId) {
        return StateSql.inTransaction(dataSource, "Could not forget the old rows of " + syncId, c -> {
            int forgotten;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_row WHERE sync_id = ? AND (last_run_id IS NULL OR last_run_id < ?)")) {
                ps.setString(1, syncId);
                ps.setLong(2, runId);
                forgotten = ps.executeUpdate();
            }
            savedRows.drop(c, syncId);
            return forgotten;
        });
    }

    /**
     * A resync of a sync that deletes, or of an update sync: every row it knows (all but those deleted) becomes
     * pending with a fresh attempt budget, its delivered version kept, so the next run sends every row still in
     * the model again (an update sync sends only keys it delivered) and deletes the ones that left it (forgotten,
     * they would never be deleted). Dead rows are revived too; a cursor starts again from the first row.
     */
    public int markForResend(String syncId) {
        return StateSql.inTransaction(dataSource, "Could not mark the rows of " + syncId + " to be sent again", c -> {
            int marked;
            // a delivered row says why it is pending; a refused one keeps its own reason
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_row SET attempts = 0,"
                    + " last_code = CASE WHEN status = 'delivered' THEN 'RESYNC' ELSE last_code END,"
                    + " last_error = CASE WHEN status = 'delivered' THEN 'resync: to be sent again' ELSE last_error END,"
                    + " status = 'rejected' WHERE sync_id = ? AND status <> 'deleted'")) {
                ps.setString(1, syncId);
                marked = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_cursor WHERE sync_id = ?")) {
                ps.setString(1, syncId);   // a cursor sync reads every row again
                ps.executeUpdate();
            }
            savedRows.drop(c, syncId);   // a change outside a run: the image no longer tells it
            return marked;
        });
    }

    /** The longest key text {@code sync_row} keeps; a longer key is refused (KEY_TOO_LONG) before anything is sent. */
    public static final int MAX_KEY_LENGTH = 1000;

    /**
     * A key as a refusal records it: cut (and marked so) where longer than the ledger keeps, so that a refused row
     * with a long key (KEY_TOO_LONG, a NULL cursor) is recorded rather than failing the run every time.
     */
    public static String fitKey(String key) {
        return key.length() <= MAX_KEY_LENGTH ? key : key.substring(0, MAX_KEY_LENGTH - 24) + "… (cut)";
    }

    /** The longest sync id the state store's tables take ({@code VARCHAR(200)}). */
    public static final int MAX_SYNC_ID_LENGTH = 200;

    /** The saved state of these keys: what cursor mode checks chunk by chunk. */
    public Map<String, SavedRow> lookup(String syncId, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return savedStates(c, syncId, keys);
        } catch (SQLException e) {
            throw new StateStoreException("Could not look up saved rows of " + syncId, e);
        }
    }

    /** Dead rows of a sync become pending again, with a fresh attempt budget. */
    public int reviveDead(String syncId) {
        return StateSql.inTransaction(dataSource, "Could not revive the dead rows of " + syncId, c -> {
            int revived;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_row SET status = 'rejected', attempts = 0 WHERE sync_id = ? AND status = 'dead'")) {
                ps.setString(1, syncId);
                revived = ps.executeUpdate();
            }
            savedRows.drop(c, syncId);   // a change outside a run: the image no longer tells it
            return revived;
        });
    }

    /** What a delivery sets on an existing row; {@code %1$s} names the new values. */
    static final String DELIVERED = "status = 'delivered', fingerprint = %1$s.fingerprint, operation = %1$s.operation,"
            + " attempts = 0, key_hash = %1$s.key_hash, last_code = NULL, last_error = NULL,"
            + " last_run_id = %1$s.last_run_id, updated_at = %1$s.updated_at, last_sent_at = %1$s.updated_at";

    private String upsertDelivered() {
        return upsert(new String[] {"sync_id", "row_key", "fingerprint", "operation", "last_run_id", "updated_at", "key_hash"},
                new String[] {"VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "BIGINT", "TIMESTAMP WITH TIME ZONE", "BIGINT"},
                DELIVERED, "'delivered'", 0);
    }

    /**
     * Attempts count the refusals of what is pending now: a delete refused after refused changes (or a change
     * after refused deletes) starts from one, rather than go dead on its first refusal.
     */
    private String upsertRejected(int maxAttempts) {
        String attempts = "CASE WHEN (COALESCE(sync_row.operation, '') = 'removed') <> (%1$s.operation = 'removed') THEN 1"
                + " ELSE sync_row.attempts + 1 END";
        return upsert(new String[] {"sync_id", "row_key", "operation", "last_code", "last_error", "last_run_id", "updated_at",
                        "key_hash"},
                new String[] {"VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "TIMESTAMP WITH TIME ZONE", "BIGINT"},
                "status = CASE WHEN " + attempts + " >= " + maxAttempts + " THEN 'dead' ELSE 'rejected' END,"
                        + " attempts = " + attempts + ", operation = %1$s.operation, last_code = %1$s.last_code,"
                        + " last_error = %1$s.last_error, last_run_id = %1$s.last_run_id, updated_at = %1$s.updated_at,"
                        + " last_sent_at = %1$s.updated_at, key_hash = %1$s.key_hash",
                maxAttempts <= 1 ? "'dead'" : "'rejected'", 1);
    }

    /**
     * As {@link #upsertRejected}, for a row the destination did not answer for: pending, its attempts as they were
     * (none yet for a delete after refused changes, or the other way round).
     */
    private String upsertUnanswered() {
        return upsert(new String[] {"sync_id", "row_key", "operation", "last_code", "last_error", "last_run_id", "updated_at",
                        "key_hash"},
                new String[] {"VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "TIMESTAMP WITH TIME ZONE", "BIGINT"},
                "status = 'rejected', attempts = CASE WHEN (COALESCE(sync_row.operation, '') = 'removed')"
                        + " <> (%1$s.operation = 'removed') THEN 0 ELSE sync_row.attempts END,"
                        + " operation = %1$s.operation, last_code = %1$s.last_code,"
                        + " last_error = %1$s.last_error, last_run_id = %1$s.last_run_id, updated_at = %1$s.updated_at,"
                        + " last_sent_at = %1$s.updated_at, key_hash = %1$s.key_hash",
                "'rejected'", 0);
    }

    /**
     * Insert-or-update of one {@code sync_row} keyed by (sync_id, row_key), in PostgreSQL's or H2's dialect.
     * The bound values come as a typed VALUES row named {@code v}; a new row also gets the given status and attempts.
     */
    private String upsert(String[] columns, String[] types, String updateSet, String newStatus, int newAttempts) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            values.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(types[i]).append(")");
        }
        String cols = String.join(", ", columns);
        String source = "(VALUES (" + values + ")) AS v (" + cols + ")";
        String insertCols = cols + ", status, attempts, last_sent_at";
        String insertValues = "v." + String.join(", v.", columns) + ", " + newStatus + ", " + newAttempts + ", v.updated_at";
        if (postgres) {
            // plain VALUES, so the driver's reWriteBatchedInserts sends a whole batch as one multi-row insert
            return "INSERT INTO sync_row (" + insertCols + ") VALUES (" + values + ", " + newStatus + ", " + newAttempts
                    + ", CURRENT_TIMESTAMP) ON CONFLICT (sync_id, row_key) DO UPDATE SET " + String.format(updateSet, "EXCLUDED");
        }
        return "MERGE INTO sync_row USING " + source
                + " ON sync_row.sync_id = v.sync_id AND sync_row.row_key = v.row_key"
                + " WHEN MATCHED THEN UPDATE SET " + String.format(updateSet, "v")
                + " WHEN NOT MATCHED THEN INSERT (" + insertCols + ") VALUES (" + insertValues + ")";
    }

    private static String productName(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new StateStoreException("Cannot reach the state store (rowcast.state.url): " + e.getMessage(), e);
        }
    }

    /**
     * A row the destination accepted, with what it did and the fingerprint now delivered; {@code position} is
     * where its {@code sync_row} row was, if known (see {@link #recordOutcomes}), else null.
     */
    public record Delivery(String key, Change change, long fingerprint, String position) {
        public Delivery(String key, Change change, long fingerprint) {
            this(key, change, fingerprint, null);
        }
    }

    /** A row refused by the mapping, the destination, or the planner (change is null when nothing was planned). */
    /**
     * A row not delivered, and why; {@code attempt} false when the destination did not answer for it (it kept
     * failing), which leaves the row pending without using up one of its attempts.
     */
    public record Rejection(String key, Change change, String code, String reason, boolean attempt) {
        public Rejection(String key, Change change, String code, String reason) {
            this(key, change, code, reason, true);
        }
    }

    /** The latest state of one row, as served to users investigating failures. */
    public record RowState(String key, String status, String operation, int attempts, String code, String error,
                           long lastRunId, Instant lastSentAt) { }

    /** A key's saved status and delivered fingerprint. */
    public record SavedRow(String status, Long fingerprint) { }


    /** Receives the saved rows of a sync. */
    @FunctionalInterface
    public interface RowVisitor {
        void visit(long keyHash, String status, Long fingerprint);
    }

    public static class StateStoreException extends RuntimeException {
        public StateStoreException(String message, Throwable cause) { super(message + ": " + cause.getMessage(), cause); }
    }
}
