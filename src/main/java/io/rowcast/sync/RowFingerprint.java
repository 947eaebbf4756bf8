package io.rowcast.sync;

import java.util.List;
import java.util.Map;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * 62-bit xxh3 fingerprints. A row's fingerprint covers its selected columns (names and values) and the
 * route's mapping files, so editing a mapping changes every fingerprint and the affected rows are sent
 * again as changed. The top two bits are left free for the planner's flags.
 */
public final class RowFingerprint {

    static final long MASK = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final Hasher64 XXH3 = Hashing.xxh3_64();

    private final long seed;

    /** {@code routeSignature}: the content of the route's mapping files, or empty. */
    public RowFingerprint(String routeSignature) {
        this.seed = XXH3.hashCharsToLong(routeSignature);
    }

    public long of(Map<String, Object> row) {
        HashStream64 hash = XXH3.hashStream().putLong(seed);
        for (Map.Entry<String, Object> column : row.entrySet()) {
            hash.putString(column.getKey());
            Object v = column.getValue();
            if (v == null) {
                hash.putByte((byte) 0);
            } else {
                hash.putByte((byte) 1).putString(v instanceof List<?> l ? l.toString() : String.valueOf(v));
            }
        }
        return hash.getAsLong() & MASK;
    }

    /** A key's 64-bit hash: the planner's in-memory handle on a primary key. */
    public static long keyHash(String key) {
        return XXH3.hashCharsToLong(key);
    }
}
