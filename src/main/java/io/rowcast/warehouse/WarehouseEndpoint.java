package io.rowcast.warehouse;

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

    void validate() {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("warehouse:" + syncId + " has no query: add the model SQL as 'query'");
        }
        if (primaryKey == null || primaryKey.isBlank()) {
            throw new IllegalArgumentException("warehouse:" + syncId + " has no primaryKey: name the column that identifies a row");
        }
        if (batchSize < 1 || maxInFlight < 1 || fetchSize < 1) {
            throw new IllegalArgumentException("warehouse:" + syncId + ": batchSize, maxInFlight and fetchSize must be at least 1");
        }
    }

    public SyncSettings settings() {
        return new SyncSettings(syncId, query, primaryKey, batchSize, maxInFlight, fetchSize);
    }

    public String getSyncId() { return syncId; }
    public String getQuery() { return query; }
    public void setQuery(String query) { this.query = query; }
    public String getPrimaryKey() { return primaryKey; }
    public void setPrimaryKey(String primaryKey) { this.primaryKey = primaryKey; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public int getMaxInFlight() { return maxInFlight; }
    public void setMaxInFlight(int maxInFlight) { this.maxInFlight = maxInFlight; }
    public int getFetchSize() { return fetchSize; }
    public void setFetchSize(int fetchSize) { this.fetchSize = fetchSize; }
    public boolean isRunOnStart() { return runOnStart; }
    public void setRunOnStart(boolean runOnStart) { this.runOnStart = runOnStart; }
}
