package io.rowcast.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import io.rowcast.warehouse.Row;

/**
 * 62-bit xxh3 fingerprints of rows. A fingerprint covers the row's selected columns (their names, in
 * the seed, and their typed values) and the route's mapping files, so editing a mapping or the query's
 * columns changes every fingerprint and the affected rows are sent again as changed. Values are hashed
 * by type without building strings. The top two bits are left free for the planner's flags.
 */
public final class RowFingerprint {

    static final long MASK = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final Hasher64 XXH3 = Hashing.xxh3_64();

    private final long seed;

    /** {@code routeSignature}: the content of the route's mapping files, or empty. */
    public RowFingerprint(String routeSignature) {
        this(XXH3.hashCharsToLong(routeSignature));
    }

    private RowFingerprint(long seed) {
        this.seed = seed;
    }

    /** The seed, for the warehouse engine's SQL fingerprint: it carries the route's mapping files too. */
    public long seed() { return seed; }

    /** Fingerprints for rows of these columns: the names are hashed once, into the seed. */
    public RowFingerprint forColumns(List<String> columns) {
        HashStream64 hash = XXH3.hashStream().putLong(seed);
        columns.forEach(hash::putString);
        return new RowFingerprint(hash.getAsLong());
    }

    public long of(Row row) {
        HashStream64 hash = XXH3.hashStream().putLong(seed);
        for (int i = 0; i < row.width(); i++) {
            put(hash, row.value(i));
        }
        return hash.getAsLong() & MASK;
    }

    public long of(Map<String, Object> row) {
        if (row instanceof Row r) {
            return of(r);
        }
        HashStream64 hash = XXH3.hashStream().putLong(seed);
        for (Map.Entry<String, Object> column : row.entrySet()) {
            hash.putString(column.getKey());
            put(hash, column.getValue());
        }
        return hash.getAsLong() & MASK;
    }

    private static void put(HashStream64 hash, Object v) {
        if (v == null) {
            hash.putByte((byte) 0);
        } else if (v instanceof String s) {
            hash.putByte((byte) 1).putString(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            hash.putByte((byte) 2).putLong(((Number) v).longValue());
        } else if (v instanceof BigDecimal d && d.unscaledValue().bitLength() < 64) {
            hash.putByte((byte) 3).putInt(d.scale()).putLong(d.unscaledValue().longValue());
        } else if (v instanceof Boolean b) {
            hash.putByte((byte) 4).putBoolean(b);
        } else if (v instanceof LocalDateTime t) {
            hash.putByte((byte) 5).putLong(t.toEpochSecond(ZoneOffset.UTC)).putInt(t.getNano());
        } else if (v instanceof OffsetDateTime t) {
            hash.putByte((byte) 6).putLong(t.toEpochSecond()).putInt(t.getNano());
        } else if (v instanceof LocalDate d) {
            hash.putByte((byte) 7).putLong(d.toEpochDay());
        } else if (v instanceof List<?> elements) {
            // element by element: as text, {NULL} and {'null'}, or {'a, b'} and {a,b}, would read alike
            hash.putByte((byte) 9).putInt(elements.size());
            for (Object element : elements) {
                put(hash, element);
            }
        } else {
            hash.putByte((byte) 8).putString(v.toString());
        }
    }

    /** A key's 64-bit hash: the planner's in-memory handle on a primary key. */
    public static long keyHash(String key) {
        return XXH3.hashCharsToLong(key);
    }
}
