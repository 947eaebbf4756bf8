package io.rowcast.sync;

import java.util.Locale;

/** The numbers every run records, each a column of {@code sync_run}. */
public enum RunCounter {
    ROWS_READ, ROWS_SKIPPED, RECORDS_SENT, ACCEPTED, REJECTED, UNSENT,
    PLANNED_ADDED, PLANNED_CHANGED, PLANNED_REMOVED,
    SUCCEEDED_ADDED, SUCCEEDED_CHANGED, SUCCEEDED_REMOVED,
    FAILED_ADDED, FAILED_CHANGED, FAILED_REMOVED,
    UNCHANGED, REMOVED, DEAD, NEWLY_DEAD, DUPLICATES, NULL_KEYS, NULL_CURSORS;

    public String column() { return name().toLowerCase(Locale.ROOT); }

    /** The JSON name: rows_read is rowsRead. */
    public String jsonName() {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column().toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    static RunCounter planned(Change change) {
        return switch (change) {
            case ADDED -> PLANNED_ADDED;
            case CHANGED -> PLANNED_CHANGED;
            case REMOVED -> PLANNED_REMOVED;
        };
    }

    static RunCounter succeeded(Change change) {
        return switch (change) {
            case ADDED -> SUCCEEDED_ADDED;
            case CHANGED -> SUCCEEDED_CHANGED;
            case REMOVED -> SUCCEEDED_REMOVED;
        };
    }

    static RunCounter failed(Change change) {
        return switch (change) {
            case ADDED -> FAILED_ADDED;
            case CHANGED -> FAILED_CHANGED;
            case REMOVED -> FAILED_REMOVED;
        };
    }
}
