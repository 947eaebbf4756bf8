package io.rowcast.sync;

import io.rowcast.sync.SyncMode.RemovedRows;

/** How a sync reads, plans and batches its rows, as declared on its {@code warehouse:} endpoint. */
public record SyncSettings(String syncId, String query, String primaryKey, SyncMode mode, RemovedRows removedRows,
                           int batchSize, int maxInFlight, int fetchSize, int maxRowAttempts, boolean checkDuplicates) { }
