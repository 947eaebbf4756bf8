package io.rowcast.sync;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rowcast.state.StateStore;
import io.rowcast.state.SyncCursors;

/**
 * Cursor mode: reads only rows whose cursor column is at or past the saved cursor (less the lookback
 * window), in cursor order, and moves the saved cursor forward only over chunks whose every row was
 * accepted. Rows at the saved cursor itself are read again and skipped by key, so equal cursor values
 * across a chunk boundary are never missed.
 */
final class SyncCursor {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String column;
    private final String syncId;
    private final StateStore state;
    /** Where the saved cursor was when the run started (null if none); never saved back below it. */
    private Object saved;
    private final Object from;
    /** Whether the run still holds the sync's lease: a run that lost it saves no cursor (another run may be ahead). */
    private final java.util.function.BooleanSupplier held;
    /** The cursor column's type, to compare a cursor kept as text (a time of day, a uuid) in it; null if unknown. */
    private final String columnType;
    private final Map<Integer, Object> chunkMax = new HashMap<>();
    private final java.util.Set<Integer> done = new java.util.HashSet<>();
    private int next = 1;
    private int blockedAt = Integer.MAX_VALUE;

    /** @param columnType the cursor column's type as the warehouse names it (null if unknown) */
    SyncCursor(SyncSettings settings, StateStore state, String columnType, java.util.function.BooleanSupplier held) {
        this.column = settings.cursor();
        this.columnType = columnType;
        this.syncId = settings.syncId();
        this.state = state;
        this.held = held;
        this.saved = state.cursors().cursor(syncId).map(c -> parse(c.value(), c.type())).orElse(null);
        this.from = saved == null ? null : minus(saved, settings.lookback());
    }

    /** The model narrowed to the rows to read, in cursor order. */
    String query(String model) {
        return "SELECT * FROM (" + model + ") rowcast_model WHERE " + column
                + (from == null ? " IS NOT NULL" : (from instanceof String || from instanceof BigDecimal) && columnType != null
                        ? " >= CAST(? AS " + columnType + ")" : " >= ?") + " ORDER BY " + column;
    }

    Object[] parameters() {
        return from == null ? new Object[0] : new Object[] {from};
    }

    /** The keys of rows whose cursor is NULL: reported every run, since no cursor can ever reach them. */
    String nullCursorQuery(String model, List<String> keyColumns) {
        return "SELECT " + String.join(", ", keyColumns) + " FROM (" + model + ") rowcast_model WHERE " + column + " IS NULL";
    }

    String column() { return column; }

    /**
     * Chunk {@code seq} was read, in cursor order: its largest cursor that can be saved is its last finite one.
     * NaN and infinities (PostgreSQL's timestamp and date 'infinity' read as the largest java.time value) sort
     * last but are no place to continue from: every later row would sort below them, never read again. Their
     * rows are read again each run, and the key's fingerprint keeps them from being sent again.
     */
    synchronized void read(int seq, List<? extends Map<String, Object>> chunk, String cursorColumn) {
        for (int i = chunk.size() - 1; i >= 0; i--) {
            Object value = chunk.get(i).get(cursorColumn);
            if (finite(value)) {
                chunkMax.put(seq, value);
                return;
            }
        }
    }

    private static boolean finite(Object value) {
        return value != null && !(value instanceof Double d && !Double.isFinite(d)) && !(value instanceof Float f && !Float.isFinite(f))
                && !LocalDateTime.MAX.equals(value) && !LocalDateTime.MIN.equals(value)
                && !OffsetDateTime.MAX.equals(value) && !OffsetDateTime.MIN.equals(value)
                && !LocalDate.MAX.equals(value) && !LocalDate.MIN.equals(value);
    }

    /**
     * Whether {@code value} lies past the cursor {@code than} (null: none saved). A run with a lookback starts
     * below the saved cursor, and its first chunks end below it too: saving those would move the cursor back.
     * A text cursor has no lookback, so its chunks never start below it (and SQL's order, not Java's, is the one
     * that counts); nor is a value of another type than the saved one (the column's type changed) compared.
     */
    static boolean past(Object value, Object than) {
        if (than instanceof BigDecimal t && value instanceof Number) {
            return new BigDecimal(text(value)).compareTo(t) > 0;
        }
        if (than instanceof LocalDateTime t && value instanceof LocalDateTime v) {
            return v.isAfter(t);
        }
        if (than instanceof OffsetDateTime t && value instanceof OffsetDateTime v) {
            return v.isAfter(t);
        }
        if (than instanceof LocalDate t && value instanceof LocalDate v) {
            return v.isAfter(t);
        }
        return true;
    }

    /** Chunk {@code seq} is finished; when every row of every chunk up to it was accepted, the cursor moves. */
    synchronized void finished(int seq, boolean allAccepted) {
        if (!allAccepted) {
            blockedAt = Math.min(blockedAt, seq);
        }
        done.add(seq);
        Object advanced = null;
        while (next < blockedAt && done.contains(next)) {
            Object max = chunkMax.remove(next);   // (none if the chunk's cursors were all NaN or infinite)
            advanced = max != null ? max : advanced;
            done.remove(next);
            next++;
        }
        if (advanced != null && past(advanced, saved) && held.getAsBoolean()) {
            state.cursors().saveCursor(syncId, text(advanced), typeOf(advanced));
            saved = advanced;
        }
    }

    /**
     * A number as plain decimal text: a double's shortest text may have an exponent (1.712E9), which reads back as
     * a BigDecimal of negative scale that DuckDB's driver cannot bind. The read-back value is compared in the
     * column's own type ({@link #query}), so a REAL's 0.7 is the column's 0.7 again, not 0.7 as numeric (above it).
     */
    static String text(Object value) {
        if (value instanceof Float || value instanceof Double) {
            return new BigDecimal(value.toString()).toPlainString();
        }
        return value instanceof BigDecimal n ? n.toPlainString() : String.valueOf(value);
    }

    static String typeOf(Object value) {
        if (value instanceof LocalDateTime) {
            return "timestamp";
        }
        if (value instanceof OffsetDateTime) {
            return "timestamptz";
        }
        if (value instanceof LocalDate) {
            return "date";
        }
        if (value instanceof Number) {
            return "number";
        }
        return "text";
    }

    static Object parse(String value, String type) {
        return switch (type) {
            case "timestamp" -> LocalDateTime.parse(value);
            case "timestamptz" -> OffsetDateTime.parse(value);
            case "date" -> LocalDate.parse(value);
            // (NaN or Infinity, as an earlier Rowcast could save: no cursor, so every row is read once more)
            case "number" -> value.matches("-?(NaN|Infinity)") ? null : plain(new BigDecimal(value));
            default -> value;
        };
    }

    /** Without a negative scale (as an earlier Rowcast saved 1.712E9), which DuckDB's driver cannot bind. */
    private static BigDecimal plain(BigDecimal n) {
        return n.scale() < 0 ? n.setScale(0) : n;
    }

    /** The saved cursor less the lookback window: a duration (1h, 30m, PT2H) for times, an amount for numbers. */
    static Object minus(Object cursor, String lookback) {
        if (lookback == null || lookback.isBlank()) {
            return cursor;
        }
        if (cursor instanceof BigDecimal n) {
            return plain(n.subtract(new BigDecimal(lookback.trim())));
        }
        Duration window = duration(lookback.trim());
        if (cursor instanceof LocalDateTime t) {
            return t.minus(window);
        }
        if (cursor instanceof OffsetDateTime t) {
            return t.minus(window);
        }
        if (cursor instanceof LocalDate d) {
            // whole days, rounded up: a 12h window still reaches back to the day before
            return d.minusDays(window.toDays() + (window.minusDays(window.toDays()).isZero() ? 0 : 1));
        }
        throw new IllegalArgumentException("a lookback needs a time or number cursor; the cursor of this sync is text");
    }

    static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("lookback '" + text + "' is not a duration; write it as 90s, 30m, 2h, 1d or PT2H");
        }
    }
}
