package io.rowcast.sync;

/** How a sync reads and batches its rows, as declared on its {@code warehouse:} endpoint. */
public record SyncSettings(String syncId, String query, String primaryKey, int batchSize, int maxInFlight, int fetchSize) { }
