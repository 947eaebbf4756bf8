package io.rowcast.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.rowcast.RootCause;
import io.rowcast.config.RouteFiles;
import io.rowcast.warehouse.WarehouseEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.SupervisingRouteController;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "syncs": each sync's route and whether it runs, and for a sync that
 * could not start (a broken mapping, a missing column), why; a route file that could not be loaded, and why. Down when any sync is down; the others keep running.
 */
@Component("syncs")
public class SyncsHealth implements HealthIndicator {

    private final CamelContext camel;
    private final RouteFiles routeFiles;

    public SyncsHealth(CamelContext camel, RouteFiles routeFiles) {
        this.camel = camel;
        this.routeFiles = routeFiles;
    }

    @Override
    public Health health() {
        Map<String, Object> syncs = new LinkedHashMap<>();
        // a route file that could not be loaded: its syncs are unknown, so the file stands for them
        routeFiles.broken().forEach((file, why) -> syncs.put(file, "DOWN: not loaded: " + why));
        boolean down = !syncs.isEmpty();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof WarehouseEndpoint) {
                boolean started = camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted();
                syncs.put(route.getRouteId(), started ? "UP" : "DOWN: " + camel.getRouteController().getRouteStatus(route.getRouteId()));
                down |= !started;
            }
        }
        if (camel.getRouteController().isSupervising()) {
            SupervisingRouteController supervisor = camel.getRouteController().supervising();
            for (Route route : Stream.concat(supervisor.getExhaustedRoutes().stream(), supervisor.getRestartingRoutes().stream()).toList()) {
                Throwable why = supervisor.getRestartException(route.getRouteId());
                syncs.put(route.getRouteId(), "DOWN: " + (why == null ? "not started" : RootCause.message(why)));
                down = true;
            }
        }
        return (down ? Health.down() : Health.up()).withDetails(syncs).build();
    }
}
