package io.rowcast.warehouse;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rowcast.delivery.DeletingEndpoint;
import io.rowcast.delivery.Outcome;
import io.rowcast.mapping.MappingEndpoint;
import io.rowcast.state.StateStore;
import io.rowcast.sync.Batch;
import io.rowcast.sync.BatchDispatcher;
import io.rowcast.sync.BatchItem;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.SyncRun;
import io.rowcast.sync.SyncSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sync on each scheduled poll (or on demand) and routes each batch through the route
 * asynchronously; the batch's completion commits its outcomes. A lease in the state store makes sure
 * a sync runs at most once at a time, in this process or in any other that shares the store.
 */
public class WarehouseConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseConsumer.class);
    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    private final WarehouseEndpoint endpoint;
    private ExecutorService startupRunner;
    private ScheduledExecutorService leaseKeeper;

    public WarehouseConsumer(WarehouseEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected int poll() {
        if (!endpoint.getComponent().isSchedulerEnabled()) {
            // batch mode: a schedule that fires anyway (Quartz triggers are registered all the same) must not
            // start a second run beside the one the command asked for
            return 0;
        }
        return runNow().map(r -> (int) Math.min(Integer.MAX_VALUE, r.rowsRead())).orElse(0);
    }

    /**
     * Ready once started: a cron sync may not poll for hours, and Camel's default (ready after the
     * first scheduled poll) would keep the service out of readiness until then.
     */
    @Override
    public boolean isConsumerReady() {
        return isStarted();
    }

    /** The id the sync's state is kept under (the warehouse endpoint's path). */
    public String syncId() { return endpoint.getSyncId(); }

    /** Runs the sync now; empty when a run of it is already in progress here or elsewhere. */
    public Optional<RunRecord> runNow() {
        return exclusively("run", held -> execute(this::dispatch, false, held));
    }

    /**
     * Forgets what the sync delivered, then runs it: every row is sent again. A sync that deletes keeps its rows
     * instead, each marked to be sent again, so the rows that left the model still get their deletes; so does an
     * update sync, which sends only keys it delivered (forgotten, they would all be new to it, never sent).
     */
    public Optional<RunRecord> resync() {
        return exclusively("resync", held -> {
            // the snapshot goes first: stopped in between, the ledger still knows everything delivered and the
            // next run refills the snapshot from it (the other way round, the snapshot would outlive its ledger);
            // a snapshot refilled from rows marked to be sent again marks them so too
            if (settings().warehouseState()) {
                io.rowcast.sync.SyncRun.forgetWarehouseSnapshot(endpoint.getComponent().getDataSource(), endpoint.getSyncId());
            }
            io.rowcast.sync.SyncMode mode = settings().mode();
            if (mode.sends(io.rowcast.sync.Change.REMOVED, settings().removedRows())
                    || !mode.sends(io.rowcast.sync.Change.ADDED, settings().removedRows())) {
                int marked = store().markForResend(endpoint.getSyncId());
                LOG.info("Sync {}: resync marked {} rows to be sent again (kept: a sync in mode {} needs the keys it delivered)",
                        endpoint.getSyncId(), marked, mode);
            } else {
                int forgotten = store().forget(endpoint.getSyncId());
                LOG.info("Sync {}: resync forgot {} delivered rows", endpoint.getSyncId(), forgotten);
            }
            return execute(this::dispatch, false, held);
        });
    }

    /** Adopts the model's current rows as delivered without sending anything. */
    public Optional<RunRecord> reset() {
        return exclusively("reset", held -> execute(WarehouseConsumer::adoptWithoutSending, true, held));
    }

    /** Gives the sync's dead rows a fresh attempt budget, under the lease so no run is reading its state meanwhile. */
    public Optional<Integer> retryDead() {
        return withLease("retry-dead", held -> store().reviveDead(endpoint.getSyncId()));
    }

    private Optional<RunRecord> exclusively(String what, Function<BooleanSupplier, RunRecord> work) {
        String syncId = endpoint.getSyncId();
        return withLease(what, held -> {
            LOG.info("Sync {}: {} started", syncId, what);
            RunRecord record = work.apply(held);
            if (record.error() != null) {
                LOG.error("Sync {}: {}", syncId, record.summary());
            } else {
                LOG.info("Sync {}: {}", syncId, record.summary());
            }
            return record;
        });
    }

    /**
     * Does {@code work} holding the sync's lease, renewed meanwhile; empty when another run holds it. {@code work}
     * is told whether the lease is still held: not if a renewal found it taken (this process stalled past its
     * expiry, say), nor once a whole lease has passed without a renewal (the state store unreachable, or this
     * process paused): another process may then be running the sync. A renewal that fails is tried again at
     * the next tick, while the lease still has time. A renewal only extends a lease row still this run's (one
     * given back by another process meanwhile is not taken again), and a lost lease stays lost.
     */
    private <T> Optional<T> withLease(String what, Function<BooleanSupplier, T> work) {
        String syncId = endpoint.getSyncId();
        String owner = PROCESS + "/" + UUID.randomUUID();
        Duration lease = endpoint.getComponent().getLease();
        long taken = System.nanoTime();
        if (!store().lease().tryLock(syncId, owner, lease)) {
            LOG.info("Sync {}: a run is already in progress (here or in another process); this {} is skipped", syncId, what);
            return Optional.empty();
        }
        AtomicBoolean lost = new AtomicBoolean();
        // when the lease was last taken or renewed: past its length without a renewal, another process may have it
        java.util.concurrent.atomic.AtomicLong renewed = new java.util.concurrent.atomic.AtomicLong(taken);
        // once lost, for good: a lease back in this run's hands after another process may have run is no lease
        BooleanSupplier held = () -> {
            if (System.nanoTime() - renewed.get() >= lease.toNanos()) {
                lost.set(true);
            }
            return !lost.get();
        };
        ScheduledFuture<?> renewal = null;
        try {
            renewal = leaseKeeper.scheduleAtFixedRate(() -> {
                long asked = System.nanoTime();
                try {
                    if (held.getAsBoolean() && store().lease().renew(syncId, owner, lease)) {
                        renewed.set(asked);
                    } else if (!lost.getAndSet(true)) {
                        LOG.error("Sync {}: another process took this {}'s lease (it was not renewed in time); sending"
                                + " no more batches, so the sync does not run twice at once", syncId, what);
                    }
                } catch (RuntimeException e) {
                    // (an exception would end a fixed-rate schedule: every later renewal would silently not happen)
                    LOG.warn("Sync {}: could not renew the lease ({}); trying again in {} ms", syncId, e.getMessage(),
                            lease.toMillis() / 4);
                }
            }, lease.toMillis() / 4, lease.toMillis() / 4, TimeUnit.MILLISECONDS);
            return Optional.of(work.apply(held));
        } finally {
            // (also when scheduling the renewals failed, the route stopping: the lease is given back, not left to expire)
            if (renewal != null) {
                renewal.cancel(false);
            }
            store().lease().unlock(syncId, owner);
        }
    }

    /** A run that sends only while {@code held} says the lease is still this run's; after that, it fails. */
    private RunRecord execute(BatchDispatcher dispatcher, boolean adopt, BooleanSupplier held) {
        BatchDispatcher whileHeld = (batch, done) -> {
            if (!held.getAsBoolean()) {
                done.accept(new io.rowcast.delivery.FatalDeliveryException("the sync's lease ran out or was taken by another"
                        + " process (this one could not renew it in time: stalled, or cut off from the state store); stopped"
                        + " so the sync does not run twice at once. Rows not sent go with the next run"));
                return;
            }
            dispatcher.dispatch(batch, done);
        };
        return new SyncRun(settings(), endpoint.getComponent().getDataSource(), store(), whileHeld, routeSignature(), adopt)
                .whileHolding(held).execute();
    }

    public SyncSettings settings() { return endpoint.settings(); }

    /** The endpoints the route sends to after this source: its mappings and destination. */
    public List<org.apache.camel.Endpoint> steps() {
        return getRoute() == null ? List.of() : RouteEndpoints.of(getRoute());
    }

    public javax.sql.DataSource warehouse() { return endpoint.getComponent().getDataSource(); }

    private StateStore store() { return endpoint.getComponent().getStateStore(); }

    private void dispatch(Batch batch, java.util.function.Consumer<Throwable> done) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(batch);
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                done.accept(exchange.getException());
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    private static void adoptWithoutSending(Batch batch, java.util.function.Consumer<Throwable> done) {
        for (BatchItem item : batch.items()) {
            item.settle(Outcome.accept());
        }
        done.accept(null);
    }

    /** The route's mapping files: part of every fingerprint, so a mapping edit resends the rows it affects. */
    private String routeSignature() {
        Route route = getRoute();
        if (route == null) {
            return "";
        }
        return RouteEndpoints.of(route).stream()
                .filter(MappingEndpoint.class::isInstance)
                .map(e -> ((MappingEndpoint) e).mapping().source())
                .collect(Collectors.joining("\u0000"));
    }

    /**
     * Why a sync whose mode deletes (mirror, removedRows delete) cannot: none of its route's destinations deletes, or
     * a mapping's records cannot be deleted. Checked when the route starts, and by validate.
     */
    public static java.util.Optional<String> deletesRefused(String routeId, SyncSettings settings,
                                                            List<org.apache.camel.Endpoint> endpoints) {
        if (!settings.mode().deletes(settings.removedRows())) {
            return java.util.Optional.empty();
        }
        String what = "route " + routeId + ": mode " + settings.mode().value()
                + (settings.mode() == io.rowcast.sync.SyncMode.MIRROR ? "" : " with removedRows delete");
        if (endpoints.stream().noneMatch(DeletingEndpoint.class::isInstance)) {
            return java.util.Optional.of(what + " sends deletes, but none of its destinations supports deleting"
                    + " records; use mode upsert with removedRows ignore, or a destination that deletes");
        }
        List<io.rowcast.mapping.Mapping> mappings = endpoints.stream().filter(MappingEndpoint.class::isInstance)
                .map(e -> ((MappingEndpoint) e).mapping()).toList();
        java.util.Optional<String> undeletable = mappings.stream().filter(m -> !m.kind().deletable()).findFirst()
                .map(m -> what + " sends deletes, but a " + m.kind().destination() + " " + m.kind().record() + " ("
                        + m.file().getFileName() + ") cannot be deleted; use mode upsert or insert");
        if (undeletable.isPresent()) {
            return undeletable;
        }
        // a delete names the record by the row's key (Mapping#deleteRecord): it deletes the record sent for that row
        // only if the mapping sends that key as the identity
        String key = settings.primaryKey().trim();
        return mappings.stream().filter(m -> m.fields().stream().noneMatch(f -> f.target().equals("identity")
                        && f.column() != null && !key.contains(",") && f.column().equalsIgnoreCase(key)))
                .findFirst().map(m -> what + " deletes a " + m.kind().destination()
                        + " " + m.kind().record() + " by its identity, sent as the row's primary key " + key + ", but "
                        + m.file().getFileName() + " maps identity " + m.fields().stream().filter(f -> f.target().equals("identity"))
                        .findFirst().map(f -> f.column() != null ? "from " + f.column() : "otherwise than from a column")
                        .orElse("not at all") + "; map identity from " + key + " (" + (key.contains(",")
                        ? "a composite key cannot be an identity" : "or make " + key + " the identity column") + ")");
    }

    @Override
    protected void doStart() throws Exception {
        endpoint.refused().ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        SyncSettings settings = settings();
        Route route = getRoute();
        if (route != null) {
            deletesRefused(getRouteId(), settings, RouteEndpoints.of(route)).ifPresent(why -> {
                throw new IllegalStateException(why);
            });
        }
        if (route != null) {
            checkMappedColumns(route, settings);
        }
        super.doStart();
        CamelContext context = endpoint.getCamelContext();
        leaseKeeper = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "lease-" + endpoint.getSyncId());
        if (endpoint.isRunOnStart()) {
            startupRunner = context.getExecutorServiceManager().newSingleThreadExecutor(this, "run-on-start-" + endpoint.getSyncId());
            if (context.isStarted()) {
                // started by the supervising route controller after the application: run now
                startupRunner.execute(this::runOnStart);
            } else {
                context.addStartupListener(new ExtendedStartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) { }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                        startupRunner.execute(WarehouseConsumer.this::runOnStart);
                    }
                });
            }
        }
    }

    /** The run on start, whose failure nobody awaits: logged, not lost in an unread Future. */
    private void runOnStart() {
        try {
            runNow();
        } catch (RuntimeException e) {
            LOG.error("Sync {}: the run on start failed before it could be recorded: {}", endpoint.getSyncId(), e.getMessage(), e);
        }
    }

    /**
     * A mapping that reads a column the model does not return stops the route from starting. An unreachable
     * warehouse does not: the route starts and its runs report the connection error.
     */
    private void checkMappedColumns(Route route, SyncSettings settings) {
        if (endpoint.getComponent().recentlyUnreachable()) {
            LOG.warn("Sync {}: the warehouse was not reachable a moment ago; columns are checked at the first run",
                    endpoint.getSyncId());
            return;
        }
        List<String> columns;
        try (java.sql.Connection c = warehouse().getConnection()) {
            try {
                columns = ModelColumns.of(c, settings.query());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("route " + getRouteId() + ": the model query does not run: " + e.getMessage());
            }
        } catch (java.sql.SQLException unreachable) {
            endpoint.getComponent().unreachable();
            LOG.warn("Sync {}: the warehouse is not reachable ({}); columns are checked at the first run",
                    endpoint.getSyncId(), unreachable.getMessage());
            return;
        }
        for (org.apache.camel.Endpoint e : RouteEndpoints.of(route)) {
            if (e instanceof MappingEndpoint m && m.mapping() != null) {
                List<String> missing = io.rowcast.mapping.MappingLoader.missingColumns(m.mapping(), columns);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("route " + getRouteId() + ": mapping " + m.getFile() + " reads column(s) "
                            + missing + " that the model does not return; the model returns " + columns);
                }
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (startupRunner != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(startupRunner);
        }
        if (leaseKeeper != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(leaseKeeper);
        }
        super.doStop();
    }
}
