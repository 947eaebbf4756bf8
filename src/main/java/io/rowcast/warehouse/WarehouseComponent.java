package io.rowcast.warehouse;

import java.util.Map;

import javax.sql.DataSource;

import io.rowcast.config.EndpointOptions;
import io.rowcast.state.StateStore;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code warehouse:<sync-id>}: a polling consumer that runs a model query and feeds what changed to the route. */
@Component("warehouse")
public class WarehouseComponent extends DefaultComponent {

    static final long DEFAULT_INTERVAL_MS = 15 * 60 * 1000L;

    @Metadata(autowired = false, description = "The warehouse to read from")
    private DataSource dataSource;
    @Metadata(autowired = false, description = "Where runs and row outcomes are kept")
    private StateStore stateStore;
    @Metadata(defaultValue = "true", description = "Whether scheduled polls fire; the CLI turns them off")
    private boolean schedulerEnabled = true;
    @Metadata(defaultValue = "true", description = "Run each sync once when the application has started")
    private boolean runOnStart = true;
    @Metadata(defaultValue = "2m", description = "How long a sync's lease lasts unless renewed; a killed process blocks its syncs this long")
    private java.time.Duration lease = java.time.Duration.ofMinutes(2);

    /**
     * Until when (nanoTime) route starts skip their model check: a start just found the warehouse unreachable, and
     * each start would otherwise wait out the pool's connection time-out in turn (ten syncs, five minutes).
     */
    private final java.util.concurrent.atomic.AtomicLong unreachableUntil = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    static final java.time.Duration UNREACHABLE_FOR = java.time.Duration.ofMinutes(1);

    public WarehouseComponent() { }

    public WarehouseComponent(DataSource dataSource, StateStore stateStore) {
        this.dataSource = dataSource;
        this.stateStore = stateStore;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("warehouse: needs a sync id, as in warehouse:orders-to-clevertap");
        }
        if (remaining.length() > StateStore.MAX_SYNC_ID_LENGTH) {
            throw new IllegalArgumentException("warehouse: the sync id is " + remaining.length() + " characters; the state"
                    + " store keeps up to " + StateStore.MAX_SYNC_ID_LENGTH + ": shorten it");
        }
        WarehouseEndpoint endpoint = new WarehouseEndpoint(uri, this, remaining);
        endpoint.setRunOnStart(runOnStart);
        // Without a scheduler option a sync polls every 15 minutes, not Camel's default half second.
        endpoint.setDelay(DEFAULT_INTERVAL_MS);
        endpoint.setInitialDelay(DEFAULT_INTERVAL_MS);
        // a route's bad options fail that route's start: one broken sync never stops the others
        EndpointOptions.bindOrRefuse("warehouse:" + remaining, parameters, "the warehouse: endpoint",
                () -> setProperties(endpoint, parameters), endpoint::validate, endpoint::refuse);
        if (!schedulerEnabled) {
            // batch mode (the CLI): only the command's runs happen, whatever a route says
            endpoint.setStartScheduler(false);
            endpoint.setRunOnStart(false);
        }
        return endpoint;
    }

    /** A route start found the warehouse unreachable: the starts in the next minute do not try again. */
    void unreachable() { unreachableUntil.set(System.nanoTime() + UNREACHABLE_FOR.toNanos()); }

    /** Whether a route start found the warehouse unreachable within the last minute. */
    boolean recentlyUnreachable() { return System.nanoTime() - unreachableUntil.get() < 0; }

    public DataSource getDataSource() { return dataSource; }
    public void setDataSource(DataSource dataSource) { this.dataSource = dataSource; }
    public StateStore getStateStore() { return stateStore; }
    public void setStateStore(StateStore stateStore) { this.stateStore = stateStore; }
    public boolean isSchedulerEnabled() { return schedulerEnabled; }
    public void setSchedulerEnabled(boolean schedulerEnabled) { this.schedulerEnabled = schedulerEnabled; }
    public java.time.Duration getLease() { return lease; }
    public void setLease(java.time.Duration lease) { this.lease = lease; }
    public boolean isRunOnStart() { return runOnStart; }
    public void setRunOnStart(boolean runOnStart) { this.runOnStart = runOnStart; }
}
