package io.rowcast.sync;

import java.util.Locale;

/** Which changes a sync sends (declared per route with the warehouse endpoint's {@code mode}). */
public enum SyncMode {
    /** Rows whose key was never delivered: events such as Charged. */
    INSERT,
    /** Changed rows whose key was delivered before. */
    UPDATE,
    /** Added and changed rows. */
    UPSERT,
    /** Added, changed and removed rows; removed rows become destination deletes. */
    MIRROR,
    /** Every row on every run, without change detection. */
    ALL;

    public boolean sends(Change change, RemovedRows removedRows) {
        return switch (this) {
            case INSERT -> change == Change.ADDED;
            case UPDATE -> change == Change.CHANGED;
            case UPSERT -> change != Change.REMOVED || removedRows == RemovedRows.DELETE;
            case MIRROR -> true;
            case ALL -> change != Change.REMOVED;
        };
    }

    public boolean deletes(RemovedRows removedRows) {
        return this == MIRROR || (this == UPSERT && removedRows == RemovedRows.DELETE);
    }

    public String value() { return name().toLowerCase(Locale.ROOT); }

    public static SyncMode of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + value + "'; use insert, update, upsert, mirror or all");
        }
    }

    /** What a sync does with rows that left the model. */
    public enum RemovedRows {
        IGNORE, DELETE;

        public static RemovedRows of(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown removedRows '" + value + "'; use ignore or delete");
            }
        }
    }
}
