package io.rowcast.sync;

import java.util.Map;
import java.util.Optional;

import io.rowcast.RootCause;
import io.rowcast.config.RouteFiles;
import io.rowcast.state.StateStore;
import io.rowcast.warehouse.WarehouseConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.stereotype.Component;

/** Operations on a sync by its route id: the CLI commands and the HTTP API both come here. */
@Component
public class SyncTrigger {

    private final CamelContext camel;
    private final StateStore state;
    private final RouteFiles routeFiles;

    public SyncTrigger(CamelContext camel, StateStore state, RouteFiles routeFiles) {
        this.camel = camel;
        this.state = state;
        this.routeFiles = routeFiles;
    }

    /** The run's record, or empty when a run of the same sync is already in progress. */
    public Optional<RunRecord> run(String routeId) {
        return consumer(routeId).runNow();
    }

    /** Forgets what the sync delivered and runs it: every row is sent again. */
    public Optional<RunRecord> resync(String routeId) {
        return consumer(routeId).resync();
    }

    /** Adopts the model's current rows as delivered, sending nothing. */
    public Optional<RunRecord> reset(String routeId) {
        return consumer(routeId).reset();
    }

    /** Gives dead rows a fresh attempt budget; how many, or empty when a run of the sync is in progress. */
    public Optional<Integer> retryDead(String routeId) {
        return consumer(routeId).retryDead();
    }

    /** The sync's latest runs, newest first. */
    public java.util.List<RunRecord> runs(String routeId, int limit) {
        return state.ledger().runs(syncId(routeId), limit);
    }

    /** The sync's rows in the given statuses (rejected, dead, delivered). */
    public java.util.List<StateStore.RowState> rows(String routeId, java.util.Collection<String> statuses, int limit) {
        return state.rows(syncId(routeId), statuses, limit);
    }

    /** The refusals of a run of the sync (its latest with any when {@code runId} is null). */
    public java.util.List<StateStore.RejectionRecord> rejections(String routeId, Long runId, int limit) {
        return state.rejections(syncId(routeId), runId, limit);
    }

    /** What a run would send for the first {@code limit} rows; sends nothing, reads and writes no state. */
    public SyncPreview.Result preview(String routeId, int limit) throws java.sql.SQLException {
        WarehouseConsumer consumer = consumer(routeId);
        return SyncPreview.of(consumer.settings(), consumer.steps(), consumer.warehouse(), limit);
    }

    /**
     * The sync id a route's state is kept under, also for a route that is stopped or could not start (a broken
     * mapping, say): its history is wanted most then. From the route's definition when it has no consumer.
     */
    private String syncId(String routeId) {
        Route route = camel.getRoute(routeId);
        if (route != null && route.getConsumer() instanceof WarehouseConsumer consumer) {
            return consumer.syncId();
        }
        org.apache.camel.model.Model model = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        org.apache.camel.model.RouteDefinition definition = model == null ? null : model.getRouteDefinition(routeId);
        if (definition != null && definition.getInput() != null && definition.getInput().getEndpointUri() != null) {
            String uri = camel.resolvePropertyPlaceholders(definition.getInput().getEndpointUri());
            if (uri.startsWith("warehouse:")) {
                String path = uri.substring("warehouse:".length()).replaceFirst("^//", "");
                int query = path.indexOf('?');
                return query < 0 ? path : path.substring(0, query);
            }
        }
        return consumer(routeId).syncId();   // not a sync: says why
    }

    private WarehouseConsumer consumer(String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null && camel.getRouteController().isSupervising() && defined(routeId)) {
            // defined but not (yet) running: the supervising controller is starting it, or knows why it cannot
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
            while ((route = camel.getRoute(routeId)) == null && System.nanoTime() < deadline) {
                Throwable why = camel.getRouteController().supervising().getRestartException(routeId);
                if (why != null) {
                    throw new UnknownSyncException("route '" + routeId + "' is not running: " + RootCause.message(why));
                }
                pause();
            }
        }
        if (route == null) {
            Map<String, String> broken = routeFiles.broken();
            throw new UnknownSyncException("no route '" + routeId + "'; the routes are "
                    + camel.getRoutes().stream().map(Route::getRouteId).sorted().toList()
                    + (broken.isEmpty() ? "" : "; route files not loaded: " + broken));
        }
        if (!(route.getConsumer() instanceof WarehouseConsumer consumer)) {
            throw new UnknownSyncException("route '" + routeId + "' is not a sync: it does not start 'from: warehouse:'");
        }
        if (!awaitStarted(routeId)) {
            Throwable why = camel.getRouteController().isSupervising()
                    ? camel.getRouteController().supervising().getRestartException(routeId) : null;
            throw new UnknownSyncException("route '" + routeId + "' is not running (status "
                    + camel.getRouteController().getRouteStatus(routeId) + ")"
                    + (why == null ? "; see the log or /actuator/health for why" : ": " + RootCause.message(why)));
        }
        return consumer;
    }

    private boolean defined(String routeId) {
        org.apache.camel.model.Model model = camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        return model != null && model.getRouteDefinition(routeId) != null;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Supervised routes start in the background just after the application: give them a moment. */
    private boolean awaitStarted(String routeId) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (true) {
            org.apache.camel.ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
            if (status != null && status.isStarted()) {
                return true;
            }
            boolean failed = camel.getRouteController().isSupervising()
                    && camel.getRouteController().supervising().getRestartException(routeId) != null;
            if (failed || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    public static class UnknownSyncException extends RuntimeException {
        public UnknownSyncException(String message) { super(message); }
    }
}
