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
 * rows costs seconds every run, so after a run that changed many rows the sync's state is also kept as a
 * compact image ({@code sync_row_image}: 17 bytes a row, in parts of {@value #PART_ENTRIES}); a run then
 * reads the image plus the few rows changed since it ({@code last_run_id > as_of_run}). {@code sync_row}
 * stays the truth: a missing or dropped image only makes the load slower.
 */
public final class SavedRows {

    static final int PART_ENTRIES = 65_536;
    private static final int ENTRY_BYTES = 17;
    private static final String[] STATUSES = {"delivered", "rejected", "dead", "deleted"};
    private static final long NO_FINGERPRINT = -1;

    private final DataSource dataSource;
    private final boolean postgres;
    private final long minChangedRows;

    /** @param minChangedRows fewer changed rows than this never trigger an image (small syncs load fast anyway) */
    SavedRows(DataSource dataSource, boolean postgres, long minChangedRows) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.minChangedRows = minChangedRows;
    }

    /** What the image of a sync covers: every row with {@code last_run_id <= asOfRun}. */
    record Image(long asOfRun, long entries) { }

    /**
     * Visits every saved row of a sync once (a row changed since the image is visited twice, the newer
     * state last). {@code expect} first learns an upper bound of the visits, to size the planner's map once.
     */
    public void load(String syncId, LongConsumer expect, RowVisitor visitor) {
        Image image = image(syncId);
        if (image == null) {
            expect.accept(count("SELECT COUNT(*) FROM sync_row WHERE sync_id = ?", syncId, null));
            readRows(syncId, null, visitor);
            return;
        }
        expect.accept(image.entries() + changedSince(syncId, image.asOfRun()));
        readImage(syncId, visitor);
        readRows(syncId, image.asOfRun(), visitor);
    }

    /**
     * After run {@code runId} of a sync: takes a new image when the rows changed since the last one reach
     * a tenth of it (and at least {@code minChangedRows}). True if it did.
     */
    public boolean compactIfStale(String syncId, long runId) {
        Image image = image(syncId);
        long changed = image == null ? count("SELECT COUNT(*) FROM sync_row WHERE sync_id = ?", syncId, null)
                : changedSince(syncId, image.asOfRun());
        if (changed == 0 || changed < Math.max(minChangedRows, image == null ? 0 : image.entries() / 10)) {
            return false;
        }
        write(syncId, runId);
        return true;
    }

    /** Forgets the image: for changes to {@code sync_row} made outside a run. */
    void drop(Connection c, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_row_image WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            ps.executeUpdate();
        }
    }

    Image image(String syncId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT MIN(as_of_run), SUM(entries) FROM sync_row_image WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long asOf = rs.getLong(1);
                return rs.wasNull() ? null : new Image(asOf, rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the state image of " + syncId, e);
        }
    }

    private long changedSince(String syncId, long asOfRun) {
        return count("SELECT COUNT(*) FROM sync_row WHERE sync_id = ? AND last_run_id > ?", syncId, asOfRun);
    }

    private void readImage(String syncId, RowVisitor visitor) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT entries, data FROM sync_row_image WHERE sync_id = ? ORDER BY part")) {
                ps.setFetchSize(1);   // a part is a megabyte: hold one at a time
                if (postgres) {
                    ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);   // bytes as bytes, not hex text
                }
                ps.setString(1, syncId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int entries = rs.getInt(1);
                        ByteBuffer data = ByteBuffer.wrap(rs.getBytes(2));
                        for (int i = 0; i < entries; i++) {
                            long keyHash = data.getLong();
                            long fingerprint = data.getLong();
                            visitor.visit(keyHash, STATUSES[data.get()], fingerprint == NO_FINGERPRINT ? null : fingerprint);
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the state image of " + syncId, e);
        }
    }

    /** Every row of the sync, or with {@code sinceRun} the rows changed after that run. */
    private void readRows(String syncId, Long sinceRun, RowVisitor visitor) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key_hash, status, fingerprint, CASE WHEN key_hash IS NULL THEN row_key END"
                            + " FROM sync_row WHERE sync_id = ?" + (sinceRun == null ? "" : " AND last_run_id > ?"))) {
                ps.setFetchSize(10_000);
                if (postgres) {
                    // server-side prepared from the first run: numbers arrive in binary, not as text to parse
                    ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
                }
                ps.setString(1, syncId);
                if (sinceRun != null) {
                    ps.setLong(2, sinceRun);
                }
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
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not read the saved state of " + syncId, e);
        }
    }

    /** Replaces the sync's image with one of its current rows, stamped with the run that just ended. */
    private void write(String syncId, long runId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO sync_row_image (sync_id, part, as_of_run, entries, data) VALUES (?, ?, ?, ?, ?)")) {
                drop(c, syncId);
                ByteBuffer part = ByteBuffer.allocate(PART_ENTRIES * ENTRY_BYTES);
                int[] parts = {0};
                readRows(syncId, null, (keyHash, status, fingerprint) -> {
                    part.putLong(keyHash).putLong(fingerprint == null ? NO_FINGERPRINT : fingerprint).put(code(status));
                    if (!part.hasRemaining()) {
                        insertPart(insert, syncId, parts[0]++, runId, part);
                    }
                });
                if (part.position() > 0) {
                    insertPart(insert, syncId, parts[0], runId, part);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not write the state image of " + syncId, e);
        }
    }

    private static void insertPart(PreparedStatement insert, String syncId, int part, long runId, ByteBuffer data) {
        try {
            insert.setString(1, syncId);
            insert.setInt(2, part);
            insert.setLong(3, runId);
            insert.setInt(4, data.position() / ENTRY_BYTES);
            insert.setBytes(5, java.util.Arrays.copyOf(data.array(), data.position()));
            insert.executeUpdate();
            data.clear();
        } catch (SQLException e) {
            throw new StateStoreException("Could not write the state image of " + syncId, e);
        }
    }

    private static byte code(String status) {
        for (byte i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i].equals(status)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown sync_row status '" + status + "'");
    }

    private long count(String sql, String syncId, Long runId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, syncId);
            if (runId != null) {
                ps.setLong(2, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateStoreException("Could not count the saved rows of " + syncId, e);
        }
    }
}
