package io.rowcast.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.rowcast.RootCause;
import io.rowcast.clevertap.CleverTapComponent;
import io.rowcast.mapping.Mapping;
import io.rowcast.mapping.MappingEndpoint;
import io.rowcast.mapping.MappingException;
import io.rowcast.mapping.MappingLoader;
import io.rowcast.state.StateStore;
import io.rowcast.sync.SyncSettings;
import io.rowcast.warehouse.RouteEndpoints;
import io.rowcast.warehouse.WarehouseComponent;
import io.rowcast.warehouse.WarehouseConsumer;
import io.rowcast.warehouse.WarehouseEndpoint;
import io.rowcast.warehouse.dialect.WarehouseDialect;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * What {@code rowcast validate} checks, without reading data or changing anything: every mapping file
 * (schema and semantics), every route file (each in a Camel context of its own, so one broken route does
 * not hide the next), and every model query against the warehouse with no rows ({@code WHERE 1 = 0}):
 * that it runs, and that it returns the key, cursor and mapped columns.
 */
public class ProjectValidator {

    /** One problem; {@code where} is file[:line:column]. */
    public record Problem(String where, String message) {
        @Override public String toString() { return where + ": error: " + message; }
    }

    public record Report(List<Problem> problems, List<String> warnings, int routes, int mappings) { }

    private final DataSource warehouse;
    private final StateStore state;
    private final CleverTapComponent cleverTap;

    public ProjectValidator(DataSource warehouse, StateStore state, CleverTapComponent cleverTap) {
        this.warehouse = warehouse;
        this.state = state;
        this.cleverTap = cleverTap;
    }

    public Report validate(Path routesDir, Path mappingsDir) {
        List<Problem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Mapping> mappings = new LinkedHashMap<>();
        for (Path file : files(mappingsDir, problems)) {
            try {
                mappings.put(file.getFileName().toString(), MappingLoader.load(file));
            } catch (MappingException e) {
                e.problems().forEach(p -> problems.add(split(p)));
            }
        }
        int routes = 0;
        boolean warehouseReachable = reachable(warnings);
        // across files: a repeated route id leaves the later file's syncs out (see RouteFiles), and two routes reading one
        // warehouse:<sync> share one lease and one ledger (one of them would never send what the other sent)
        Map<String, Path> routeIds = new java.util.HashMap<>();
        Map<String, String> syncIds = new java.util.HashMap<>();
        for (Path file : files(routesDir, problems)) {
            if (file.toString().endsWith(".yml")) {
                // (a mapping may end in .yml: routes name their mapping files)
                String name = file.getFileName().toString();
                problems.add(new Problem(file.toString(), "Camel loads YAML routes only from files ending in .yaml (it has no loader for .yml); rename it to "
                        + name.substring(0, name.length() - 4) + ".yaml"));
                continue;
            }
            try (DefaultCamelContext camel = context(mappingsDir)) {
                // routes loaded before start are built (endpoints resolved, options checked) but, with
                // auto-startup off, never started: nothing connects to a destination or runs a sync
                PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file));
                camel.start();
                for (Route route : camel.getRoutes()) {
                    routes++;
                    Path earlier = routeIds.putIfAbsent(route.getRouteId(), file);
                    if (earlier != null) {
                        problems.add(new Problem(file.toString(), "route id '" + route.getRouteId() + "' is also the id of a"
                                + " route in " + earlier + "; give each route its own id"));
                    }
                    if (route.getEndpoint() instanceof WarehouseEndpoint source) {
                        String where = file + " (route " + route.getRouteId() + ")";
                        String other = syncIds.putIfAbsent(source.getSyncId(), where);
                        if (other != null) {
                            problems.add(new Problem(where, "warehouse:" + source.getSyncId() + " is also read by " + other
                                    + "; each route needs its own sync id, or they share one lease and one state"));
                        }
                    }
                    if (route.getEndpoint() instanceof WarehouseEndpoint source && source.refused().isPresent()) {
                        problems.add(new Problem(file.toString(), source.refused().get()));
                    } else if (route.getEndpoint() instanceof WarehouseEndpoint source) {
                        checkDeletes(file, route, source.settings(), problems);
                        if (warehouseReachable) {
                            checkModel(file, route, source.settings(), mappings, problems, warnings);
                        }
                    }
                }
            } catch (Exception e) {
                problems.add(new Problem(file.toString(), rootMessage(e)));
            }
        }
        return new Report(problems, warnings, routes, mappings.size());
    }

    /** A mode that deletes needs a destination that deletes, as the route's start checks. */
    private static void checkDeletes(Path file, Route route, SyncSettings sync, List<Problem> problems) {
        try {
            WarehouseConsumer.deletesRefused(route.getRouteId(), sync, RouteEndpoints.of(route))
                    .ifPresent(why -> problems.add(new Problem(file + " (route " + route.getRouteId() + ")", why)));
        } catch (RuntimeException e) {
            // a mapping file that does not load: reported with the mappings
        }
    }

    /** The model runs and returns the columns the sync and its mappings need. */
    private void checkModel(Path file, Route route, SyncSettings sync, Map<String, Mapping> mappings, List<Problem> problems,
                            List<String> warnings) {
        String where = file + " (route " + route.getRouteId() + ")";
        List<String> columns;
        try {
            columns = columns(sync.query());
        } catch (SQLException e) {
            problems.add(new Problem(where, "the model query does not run: " + e.getMessage().trim()));
            return;
        }
        for (String key : sync.primaryKey().split(",")) {
            missing(where, "primary key column", key.trim(), columns, problems);
        }
        if (sync.incremental()) {
            missing(where, "cursor column", sync.cursor(), columns, problems);
        }
        if (sync.warehouseState()) {
            WarehouseDialect.clashingColumn(columns).ifPresent(problem -> problems.add(new Problem(where, problem)));
        }
        for (var endpoint : RouteEndpoints.of(route)) {
            if (endpoint instanceof MappingEndpoint m && mappings.containsKey(m.getFile())) {
                for (String column : MappingLoader.missingColumns(mappings.get(m.getFile()), columns)) {
                    problems.add(new Problem(where, "mapping " + m.getFile() + " reads column '" + column
                            + "', which the model does not return; the model returns " + columns));
                }
                for (String column : MappingLoader.doubtfulColumns(mappings.get(m.getFile()), columns)) {
                    warnings.add(where + ": mapping " + m.getFile() + " names column '" + column + "' (in a template"
                            + " or passthrough's except), which the model does not return: a template renders it empty,"
                            + " and a misspelt except lets the column meant through");
                }
            }
        }
    }

    private static void missing(String where, String what, String column, List<String> columns, List<Problem> problems) {
        if (columns.stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
            problems.add(new Problem(where, what + " '" + column + "' is not returned by the model; it returns " + columns));
        }
    }

    private List<String> columns(String query) throws SQLException {
        try (Connection c = warehouse.getConnection()) {
            return io.rowcast.warehouse.ModelColumns.of(c, query);
        }
    }

    private boolean reachable(List<String> warnings) {
        try (Connection c = warehouse.getConnection()) {
            if (!c.isValid(5)) {
                warnings.add("the warehouse did not answer a connection check within 5 s; model queries and columns were not checked");
                return false;
            }
            return true;
        } catch (SQLException e) {
            warnings.add("the warehouse is not reachable (" + e.getMessage() + "); model queries and columns were not checked");
            return false;
        }
    }

    /** A throwaway Camel context with Rowcast's components, where routes are built but never started. */
    private DefaultCamelContext context(Path mappingsDir) {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.setAutoStartup(false);
        WarehouseComponent source = new WarehouseComponent(warehouse, state);
        source.setSchedulerEnabled(false);
        source.setRunOnStart(false);
        camel.addComponent("warehouse", source);
        io.rowcast.mapping.MappingComponent mapping = new io.rowcast.mapping.MappingComponent();
        mapping.setMappingsDir(mappingsDir.toString());
        camel.addComponent("mapping", mapping);
        CleverTapComponent clevertap = new CleverTapComponent();
        var config = cleverTap.getConfiguration().<io.rowcast.clevertap.CleverTapConfiguration>copy();
        if (config.getAccountId() == null || config.getPasscode() == null) {
            // routes are built, producers started, nothing sent: credentials are not what validate checks
            config.setAccountId("validate");
            config.setPasscode("validate");
        }
        clevertap.setConfiguration(config);
        camel.addComponent("clevertap", clevertap);
        return camel;
    }

    private static List<Path> files(Path dir, List<Problem> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(new Problem(dir.toString(), "no such folder"));
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(dir.toString(), "cannot list the folder: " + e.getMessage()));
            return List.of();
        }
    }

    /** A loader problem "file:line:col: message" as a Problem. */
    private static Problem split(String problem) {
        int at = problem.indexOf(": ");
        return at < 0 ? new Problem("?", problem) : new Problem(problem.substring(0, at), problem.substring(at + 2));
    }

    private static String rootMessage(Throwable e) {
        return io.rowcast.config.SecretText.redact(RootCause.message(e)).replaceAll("\s+", " ").trim();
    }
}
