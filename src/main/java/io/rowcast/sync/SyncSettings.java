package io.rowcast.sync;

import io.rowcast.sync.SyncMode.RemovedRows;

/** How a sync reads, plans and batches its rows, as declared on its {@code warehouse:} endpoint. */
public record SyncSettings(String syncId, String query, String primaryKey, SyncMode mode, RemovedRows removedRows,
                           int batchSize, int maxInFlight, int fetchSize, int maxRowAttempts, boolean checkDuplicates,
                           String cursor, String lookback, boolean warehouseState) {

    /**
     * The model is wrapped as a subquery in most of what a run asks the warehouse, so it is kept in a form a
     * subquery can hold: no trailing semicolon, and a line end after it, so a trailing {@code --} comment
     * cannot swallow the closing parenthesis.
     */
    public SyncSettings {
        if (query != null) {
            String model = query.strip();
            while (model.endsWith(";")) {
                model = model.substring(0, model.length() - 1).strip();
            }
            query = model + "\n";
        }
    }

    /** The settings of a sync without a cursor (full reads with change detection). */
    public SyncSettings(String syncId, String query, String primaryKey, SyncMode mode, RemovedRows removedRows, int batchSize,
                        int maxInFlight, int fetchSize, int maxRowAttempts, boolean checkDuplicates) {
        this(syncId, query, primaryKey, mode, removedRows, batchSize, maxInFlight, fetchSize, maxRowAttempts, checkDuplicates,
                null, null, false);
    }

    public boolean incremental() { return cursor != null && !cursor.isBlank(); }
}
