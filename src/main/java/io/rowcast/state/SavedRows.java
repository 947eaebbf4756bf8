package io.rowcast.state;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import io.rowcast.state.StateStore.RowVisitor;
import io.rowcast.state.StateStore.StateStoreException;
import io.rowcast.sync.RowFingerprint;

/**
 * A sync's saved row states in bulk, for the local engine's planner. Reading millions of {@code sync_row}
 * rows costs seconds every run, so a large sync's state is also kept as a compact image
 * ({@code sync_row_image}, 17 bytes a row): a base taken from {@code sync_row} after a run, plus one part
 * per batch committed since, written in the batch's own transaction. A run reads the image instead of the
 * rows. {@code sync_row} stays the truth: without a base a run reads it, and a new base is taken from it
 * when the batch parts reach a tenth of the base.
 */
public final class SavedRows {

    static final int PART_ENTRIES = 65_536;
    /** Batch parts are numbered from here: (run id << 24) + batch number. */
    static final long FIRST_BATCH_PART = 1L << 24;
    private static final int ENTRY_BYTES = 17;
    private static final String[] STATUSES = {"delivered", "rejected", "dead", "deleted"};
    private static final long NO_FINGERPRINT = -1;

    private final DataSource dataSource;
    private final boolean postgres;
    private final long minRows;
    private final double retakeShare;

    /**
     * @param minRows syncs with fewer rows than this get no image (they load fast anyway)
     * @param retakeShare a new base is taken when the batch parts reach this share of the base
     */
    SavedRows(DataSource dataSource, boolean postgres, long minRows, double retakeShare) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.minRows = minRows;
        this.retakeShare = retakeShare;
    }

    /** What a sync's image holds: its base's entries and the entries of the batch parts since. */
    record Image(long baseEntries, long batchEntries) { }

    /**
     * Visits every saved row of a sync once; a row changed since the base is visited again, newest last.
     * {@code expect} first learns an upper bound of the visits, to size the planner's map once. True if
     * the image was read, so the run's batches must add their parts to it.
     */
    public boolean load(String syncId, LongConsumer expect, RowVisitor visitor) {
        Image image = image(syncId);
        if (image == null) {
            expect.accept(rowCount(syncId));
            readRows(syncId, visitor);
            return false;
        }
        expect.accept(image.baseEntries() + image.batchEntries());
        if (readImage(syncId, visitor)) {
            return true;
        }
        readRows(syncId, visitor);   // the image went between the two reads (resync)
        return false;
    }

    /**
     * After run {@code runId} of a sync: takes a new base once the batch parts reach a tenth of the base
     * (a sync without one gets its first at {@code minRows} rows). True if it did.
     */
    public boolean compactIfStale(String syncId, long runId) {
        Image image = image(syncId);
        if (image == null) {
            forget(syncId);
        }
        boolean stale = image == null ? rowCount(syncId) >= Math.max(1, minRows)
                : image.batchEntries() > 0 && image.batchEntries() >= Math.max(minRows, image.baseEntries() * retakeShare);
        if (stale) {
            write(syncId, runId);
        }
        return stale;
    }

    /** One committed batch's rows, as they now are in {@code sync_row}; written in the batch's transaction. */
    static final class BatchPart {
        private final ByteBuffer data;
        private int entries;

        BatchPart(int capacity) {
            this.data = ByteBuffer.allocate(capacity * ENTRY_BYTES);
        }

        void add(long keyHash, String status, Long fingerprint) {
            put(data, keyHash, status, fingerprint);
            entries++;
        }
    }

    void append(Connection c, String syncId, long runId, int batch, BatchPart part) throws SQLException {
        if (batch >= FIRST_BATCH_PART) {
            // its number would run into the next run's parts: the image goes (the run's end takes a new one)
            drop(c, syncId);
        } else if (part.entries > 0) {
            insertPart(c, syncId, (runId << 24) + batch, runId, part.entries, part.data);
        }
    }

    /** Forgets the image: for changes to {@code sync_row} made outside a run. */
    void drop(Connection c, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_row_image WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the sync's image: batch parts left without a base, or an image that runs of another engine
     * (cursor, warehouse), which do not extend it, would leave stale.
     */
    public void forget(String syncId) {
        StateSql.update(dataSource, "DELETE FROM sync_row_image WHERE sync_id = ?", syncId);
    }

    /** The sync's image, or null when it has no base (batch parts without a base are never read). */
    Image image(String syncId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT SUM(CASE WHEN part < ? THEN entries END),"
                     + " SUM(CASE WHEN part >= ? THEN entries END) FROM sync_row_image WHERE sync_id = ?")) {
            ps.setLong(1, FIRST_BATCH_PART);
            ps.setLong(2, FIRST_BATCH_PART);
            ps.setString(3, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long base = rs.getLong(1);
                return rs.wasNull() ? null : new Image(base, rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the state image of " + syncId, e);
        }
    }

    private long rowCount(String syncId) {
        return StateSql.count(dataSource, "SELECT COUNT(*) FROM sync_row WHERE sync_id = ?", syncId);
    }

    /** Visits the image's entries in part order; false, visiting nothing, when it has no base any more. */
    private boolean readImage(String syncId, RowVisitor visitor) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT entries, data, part FROM sync_row_image WHERE sync_id = ? ORDER BY part")) {
                ps.setFetchSize(4);   // a base part is a megabyte: hold few at a time
                if (postgres) {
                    ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);   // bytes as bytes, not hex text
                }
                ps.setString(1, syncId);
                try (ResultSet rs = ps.executeQuery()) {
                    boolean first = true;
                    while (rs.next()) {
                        if (first && rs.getLong(3) >= FIRST_BATCH_PART) {
                            return false;
                        }
                        first = false;
                        int entries = rs.getInt(1);
                        ByteBuffer data = ByteBuffer.wrap(rs.getBytes(2));
                        for (int i = 0; i < entries; i++) {
                            long keyHash = data.getLong();
                            long fingerprint = data.getLong();
                            visitor.visit(keyHash, STATUSES[data.get()], fingerprint == NO_FINGERPRINT ? null : fingerprint);
                        }
                    }
                    return !first;
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the state image of " + syncId, e);
        }
    }

    private void readRows(String syncId, RowVisitor visitor) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                readRows(c, syncId, visitor);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the saved state of " + syncId, e);
        }
    }

    /** Streams the sync's rows on {@code c}, which must be in a transaction (so the driver streams). */
    private void readRows(Connection c, String syncId, RowVisitor visitor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT key_hash, status, fingerprint, CASE WHEN key_hash IS NULL THEN row_key END"
                        + " FROM sync_row WHERE sync_id = ?")) {
            ps.setFetchSize(10_000);
            if (postgres) {
                // server-side prepared from the first run: numbers arrive in binary, not as text to parse
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
            }
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long keyHash = rs.getLong(1);
                    if (rs.wasNull()) {
                        keyHash = RowFingerprint.keyHash(rs.getString(4));   // saved before key hashes were kept
                    }
                    long fp = rs.getLong(3);
                    Long fingerprint = rs.wasNull() ? null : fp;
                    visitor.visit(keyHash, rs.getString(2), fingerprint);
                }
            }
        }
    }

    /** Replaces the sync's image by a base of its current rows, stamped with the run that just ended. */
    private void write(String syncId, long runId) {
        StateSql.inTransaction(dataSource, "Could not write the state image of " + syncId, c -> {
            drop(c, syncId);
            ByteBuffer part = ByteBuffer.allocate(PART_ENTRIES * ENTRY_BYTES);
            int[] parts = {0};
            // read on the writing connection: the base is exactly the rows this transaction sees
            readRows(c, syncId, (keyHash, status, fingerprint) -> {
                put(part, keyHash, status, fingerprint);
                if (!part.hasRemaining()) {
                    insertBasePart(c, syncId, parts[0]++, runId, part);
                }
            });
            if (part.position() > 0 || parts[0] == 0) {
                insertBasePart(c, syncId, parts[0], runId, part);
            }
            return null;
        });
    }

    private void insertBasePart(Connection c, String syncId, long part, long runId, ByteBuffer data) {
        try {
            insertPart(c, syncId, part, runId, data.position() / ENTRY_BYTES, data);
            data.clear();
        } catch (SQLException e) {
            throw new StateStoreException("Could not write the state image of " + syncId, e);
        }
    }

    private static void insertPart(Connection c, String syncId, long part, long runId, int entries, ByteBuffer data)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO sync_row_image (sync_id, part, as_of_run, entries, data) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, syncId);
            insert.setLong(2, part);
            insert.setLong(3, runId);
            insert.setInt(4, entries);
            insert.setBytes(5, java.util.Arrays.copyOf(data.array(), data.position()));
            insert.executeUpdate();
        }
    }

    private static void put(ByteBuffer data, long keyHash, String status, Long fingerprint) {
        data.putLong(keyHash).putLong(fingerprint == null ? NO_FINGERPRINT : fingerprint).put(code(status));
    }

    private static byte code(String status) {
        for (byte i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i].equals(status)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown sync_row status '" + status + "'");
    }
}
