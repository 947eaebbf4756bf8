package io.rowcast.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.rowcast.state.StateStore.Delivery;
import io.rowcast.sync.RowFingerprint;

/**
 * A batch's deliveries into {@code sync_row} on PostgreSQL, each statement over arrays (planned once per
 * connection; about a third cheaper than a multi-row VALUES). A delivery that knows where its row is (the
 * ctid the warehouse engine's snapshot keeps) is updated there, without a lookup in {@code sync_row}'s key
 * index: a cold page per row when 100,000 scattered rows are delivered again. The rest, and any row no
 * longer there (moved by VACUUM FULL, say), are upserted by key. The rows are fetched by one TID scan over
 * all the positions ({@code ctid = ANY}), hash-joined to the new values: a TID scan per row, as a plain join
 * on {@code ctid} plans it, costs about 30 microseconds each to restart, five times the update itself.
 */
final class PostgresDeliveries {

    private PostgresDeliveries() { }

    /** Records {@code deliveries}; returns where each delivered row of {@code sync_row} now is, by key. */
    static Map<String, String> write(Connection c, String syncId, long runId, Timestamp now, List<Delivery> deliveries,
                                     String deliveredSet) throws SQLException {
        // the last delivery of a key wins (a model with checkDuplicates off may repeat a key within a batch,
        // which one INSERT ... ON CONFLICT DO UPDATE refuses)
        Map<String, Delivery> byKey = deliveries.stream().collect(Collectors.toMap(Delivery::key, d -> d,
                (first, last) -> last, LinkedHashMap::new));
        Map<String, String> positions = new HashMap<>();
        List<Delivery> located = byKey.values().stream().filter(d -> d.position() != null).toList();
        if (!located.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_row s SET " + String.format(deliveredSet, "v")
                    + " FROM (SELECT CAST(u.t AS tid) AS t, u.row_key, u.fingerprint, u.operation, u.key_hash,"
                    + " CAST(? AS BIGINT) AS last_run_id, CAST(? AS TIMESTAMP WITH TIME ZONE) AS updated_at"
                    + " FROM unnest(?, ?, ?, ?, ?) AS u (t, row_key, fingerprint, operation, key_hash)) v"
                    + " WHERE s.ctid = ANY(CAST(? AS tid[])) AND s.ctid = v.t AND s.sync_id = ? AND s.row_key = v.row_key"
                    + " RETURNING s.row_key, CAST(s.ctid AS text)")) {
                java.sql.Array at = c.createArrayOf("text", located.stream().map(Delivery::position).toArray());
                ps.setLong(1, runId);
                ps.setTimestamp(2, now);
                ps.setArray(3, at);
                bindRows(c, ps, 4, located);
                ps.setArray(8, at);
                ps.setString(9, syncId);
                read(ps, positions);
            }
        }
        List<Delivery> byKeyOnly = byKey.values().stream().filter(d -> !positions.containsKey(d.key())).toList();
        if (!byKeyOnly.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_row (sync_id, row_key, fingerprint, operation,"
                    + " key_hash, last_run_id, updated_at, status, attempts, last_sent_at)"
                    + " SELECT ?, v.row_key, v.fingerprint, v.operation, v.key_hash, ?, ?, 'delivered', 0, ?"
                    + " FROM unnest(?, ?, ?, ?) AS v (row_key, fingerprint, operation, key_hash)"
                    + " ON CONFLICT (sync_id, row_key) DO UPDATE SET " + String.format(deliveredSet, "EXCLUDED")
                    + " RETURNING row_key, CAST(ctid AS text)")) {
                ps.setString(1, syncId);
                ps.setLong(2, runId);
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, now);
                bindRows(c, ps, 5, byKeyOnly);
                read(ps, positions);
            }
        }
        return positions;
    }

    /** Binds the rows' keys, fingerprints, operations and key hashes as four arrays from parameter {@code first} on. */
    private static void bindRows(Connection c, PreparedStatement ps, int first, List<Delivery> rows) throws SQLException {
        List<Object> keys = new ArrayList<>(rows.size());
        List<Object> fingerprints = new ArrayList<>(rows.size());
        List<Object> operations = new ArrayList<>(rows.size());
        List<Object> keyHashes = new ArrayList<>(rows.size());
        for (Delivery d : rows) {
            keys.add(d.key());
            fingerprints.add(d.fingerprint());
            operations.add(d.change().value());
            keyHashes.add(RowFingerprint.keyHash(d.key()));
        }
        ps.setArray(first, c.createArrayOf("varchar", keys.toArray()));
        ps.setArray(first + 1, c.createArrayOf("int8", fingerprints.toArray()));
        ps.setArray(first + 2, c.createArrayOf("varchar", operations.toArray()));
        ps.setArray(first + 3, c.createArrayOf("int8", keyHashes.toArray()));
    }

    private static void read(PreparedStatement ps, Map<String, String> positions) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                positions.put(rs.getString(1), rs.getString(2));
            }
        }
    }
}
