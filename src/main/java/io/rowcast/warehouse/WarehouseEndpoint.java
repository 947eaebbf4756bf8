package io.rowcast.warehouse;

import io.rowcast.sync.SyncMode;
import io.rowcast.sync.SyncMode.RemovedRows;
import io.rowcast.sync.SyncSettings;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * A sync's source. Scheduling comes from Camel's scheduled-poll options, for example
 * {@code scheduler: quartz} with {@code scheduler.cron: "0 0/15 * * * ?"}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "warehouse", title = "Rowcast warehouse source",
        syntax = "warehouse:syncId", consumerOnly = true, category = {Category.DATABASE})
public class WarehouseEndpoint extends ScheduledPollEndpoint {

    @UriPath(description = "The sync's id: the key of its state, runs and row outcomes")
    @Metadata(required = true)
    private final String syncId;
    @UriParam(description = "The model: a SQL query whose rows are synced")
    @Metadata(required = true)
    private String query;
    @UriParam(description = "Column, or comma-separated columns, that identify a row")
    @Metadata(required = true)
    private String primaryKey;
    @UriParam(defaultValue = "upsert", enums = "insert,update,upsert,mirror,all",
            description = "Which changes to send: insert (new keys), update (changed rows), upsert (both),"
                    + " mirror (both and deletes), all (every row, no change detection)")
    private String mode = "upsert";
    @UriParam(defaultValue = "ignore", enums = "ignore,delete",
            description = "In upsert mode, what rows that left the model become: nothing, or destination deletes")
    private String removedRows = "ignore";
    @UriParam(defaultValue = "10", description = "Runs a rejected row is tried in before it is marked dead")
    private int maxRowAttempts = 10;
    @UriParam(defaultValue = "true", description = "Look for duplicate primary keys before sending (one aggregate query)")
    private boolean checkDuplicates = true;
    @UriParam(description = "Cursor mode: a column that only grows (an id, a created_at); each run reads only rows"
            + " at or past the saved cursor. Deletes are not seen, nor rows arriving below the cursor unless within lookback")
    private String cursor;
    @UriParam(description = "Cursor mode: also re-read this far below the saved cursor (2h, 30m, PT1H; a number for"
            + " numeric cursors), to catch late-arriving rows; rows already delivered are skipped by key")
    private String lookback;
    @UriParam(defaultValue = "local", enums = "local,warehouse",
            description = "Where change detection keeps its state: local (the state store; read-only warehouse) or"
                    + " warehouse (a snapshot table in the warehouse's rowcast schema; the diff runs there)")
    private String state = "local";
    @UriParam(defaultValue = "1000", description = "Rows per batch sent through the route")
    private int batchSize = 1000;
    @UriParam(defaultValue = "4", description = "Batches in flight at once within a run")
    private int maxInFlight = 4;
    @UriParam(defaultValue = "1000", description = "Rows the driver fetches per round trip")
    private int fetchSize = 1000;
    @UriParam(defaultValue = "true", description = "Run once as soon as the application has started")
    private boolean runOnStart = true;

    public WarehouseEndpoint(String uri, WarehouseComponent component, String syncId) {
        super(uri, component);
        this.syncId = syncId;
    }

    @Override
    public WarehouseComponent getComponent() { return (WarehouseComponent) super.getComponent(); }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("warehouse: is a source; use it in 'from', not in 'to'");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        WarehouseConsumer consumer = new WarehouseConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** What is wrong with the route's options, if anything: its start fails with it (see WarehouseComponent). */
    private String refused;

    void refuse(String why) { this.refused = why; }

    public java.util.Optional<String> refused() { return java.util.Optional.ofNullable(refused); }

    void validate() {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("warehouse:" + syncId + " has no query: add the model SQL as 'query'");
        }
        if (primaryKey == null || primaryKey.isBlank()) {
            throw new IllegalArgumentException("warehouse:" + syncId + " has no primaryKey: name the column that identifies a row");
        }
        SyncMode syncMode = SyncMode.of(mode);
        if (cursor != null && !cursor.isBlank() && syncMode.deletes(RemovedRows.of(removedRows))) {
            throw new IllegalArgumentException("warehouse:" + syncId + ": cursor mode cannot see removed rows, so it cannot"
                    + " " + (syncMode == SyncMode.MIRROR ? "mirror" : "delete them") + "; drop 'cursor' or use mode upsert/insert");
        }
        if (!state.equals("local") && !state.equals("warehouse")) {
            throw new IllegalArgumentException("warehouse:" + syncId + ": unknown state '" + state + "'; use local or warehouse");
        }
        if (state.equals("warehouse") && cursor != null && !cursor.isBlank()) {
            throw new IllegalArgumentException("warehouse:" + syncId + ": choose a cursor or state: warehouse, not both");
        }
        if (lookback != null && !lookback.isBlank() && (cursor == null || cursor.isBlank())) {
            throw new IllegalArgumentException("warehouse:" + syncId + ": lookback only applies with a cursor; add 'cursor: <column>'");
        }
        if (batchSize < 1 || maxInFlight < 1 || fetchSize < 1 || maxRowAttempts < 1) {
            throw new IllegalArgumentException("warehouse:" + syncId + ": batchSize, maxInFlight, fetchSize and maxRowAttempts must be at least 1");
        }
    }

    public SyncSettings settings() {
        return new SyncSettings(syncId, query, primaryKey, SyncMode.of(mode), RemovedRows.of(removedRows), batchSize,
                maxInFlight, fetchSize, maxRowAttempts, checkDuplicates, cursor, lookback, state.equals("warehouse"));
    }

    public String getSyncId() { return syncId; }
    public String getQuery() { return query; }
    public void setQuery(String query) { this.query = query; }
    public String getPrimaryKey() { return primaryKey; }
    public void setPrimaryKey(String primaryKey) { this.primaryKey = primaryKey; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public String getCursor() { return cursor; }
    public void setCursor(String cursor) { this.cursor = cursor; }
    public String getLookback() { return lookback; }
    public void setLookback(String lookback) { this.lookback = lookback; }
    public String getMode() { return mode; }
    public void setMode(String mode) { this.mode = mode; }
    public String getRemovedRows() { return removedRows; }
    public void setRemovedRows(String removedRows) { this.removedRows = removedRows; }
    public int getMaxRowAttempts() { return maxRowAttempts; }
    public void setMaxRowAttempts(int maxRowAttempts) { this.maxRowAttempts = maxRowAttempts; }
    public boolean isCheckDuplicates() { return checkDuplicates; }
    public void setCheckDuplicates(boolean checkDuplicates) { this.checkDuplicates = checkDuplicates; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public int getMaxInFlight() { return maxInFlight; }
    public void setMaxInFlight(int maxInFlight) { this.maxInFlight = maxInFlight; }
    public int getFetchSize() { return fetchSize; }
    public void setFetchSize(int fetchSize) { this.fetchSize = fetchSize; }
    public boolean isRunOnStart() { return runOnStart; }
    public void setRunOnStart(boolean runOnStart) { this.runOnStart = runOnStart; }
}
