package io.rowcast.sync;

import java.util.Optional;

import io.rowcast.warehouse.WarehouseConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.stereotype.Component;

/** Runs a sync now by its route id: the CLI's {@code run} and the HTTP trigger both come here. */
@Component
public class SyncTrigger {

    private final CamelContext camel;

    public SyncTrigger(CamelContext camel) { this.camel = camel; }

    /** The run's record, or empty when a run of the same sync is already in progress. */
    public Optional<RunRecord> run(String routeId) {
        return consumer(routeId).runNow();
    }

    private WarehouseConsumer consumer(String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null) {
            throw new UnknownSyncException("no route '" + routeId + "'; the routes are "
                    + camel.getRoutes().stream().map(Route::getRouteId).sorted().toList());
        }
        if (!(route.getConsumer() instanceof WarehouseConsumer consumer)) {
            throw new UnknownSyncException("route '" + routeId + "' is not a sync: it does not start 'from: warehouse:'");
        }
        if (!camel.getRouteController().getRouteStatus(routeId).isStarted()) {
            throw new UnknownSyncException("route '" + routeId + "' is not running (status "
                    + camel.getRouteController().getRouteStatus(routeId) + "); see the log or /actuator/health for why");
        }
        return consumer;
    }

    public static class UnknownSyncException extends RuntimeException {
        public UnknownSyncException(String message) { super(message); }
    }
}
