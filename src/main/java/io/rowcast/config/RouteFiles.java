package io.rowcast.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Loads the route files ({@code camel.main.routes-include-pattern}) one at a time. Camel's own collector, turned off
 * in application.properties, loads them all at once, so one file that does not parse (or repeats a route id) stopped
 * every sync. Here such a file is logged with its reason and left out, health reports it, and the other files' syncs
 * run.
 */
@Component
public class RouteFiles implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private final String pattern;
    private final Map<String, String> broken = new TreeMap<>();

    public RouteFiles(Environment environment) {
        // bound as Spring binds any setting: CAMEL_MAIN_ROUTES_INCLUDE_PATTERN and camelCase spellings too
        this.pattern = org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("camel.main.routes-include-pattern", String.class).orElse("file:routes/*.yaml");
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        // each route definition loaded so far, by identity (a route without an id has none until Camel makes one up)
        Map<RouteDefinition, String> fileOf = new java.util.IdentityHashMap<>();
        for (Resource file : files(camel)) {
            Set<RouteDefinition> before = identitySet(model.getRouteDefinitions());
            try {
                PluginHelper.getRoutesLoader(camel).loadRoutes(file);
                List<RouteDefinition> loaded = added(model, before);
                // Camel's model takes a route of an id it has for a new version of it: the earlier file's would be gone
                Set<RouteDefinition> now = identitySet(model.getRouteDefinitions());
                List<RouteDefinition> replaced = before.stream().filter(r -> !now.contains(r)).toList();
                if (!replaced.isEmpty()) {
                    throw new IllegalArgumentException("route id(s) " + replaced.stream().map(RouteDefinition::getRouteId).toList()
                            + " also in " + replaced.stream().map(fileOf::get).distinct().toList() + "; give each route its own id");
                }
                List<String> ids = loaded.stream().filter(RouteDefinition::hasCustomIdAssigned).map(RouteDefinition::getId).toList();
                List<String> twice = ids.stream().filter(id -> java.util.Collections.frequency(ids, id) > 1).distinct().toList();
                if (!twice.isEmpty()) {
                    throw new IllegalArgumentException("route id(s) " + twice + " used twice in this file; give each route its own id");
                }
                loaded.forEach(route -> fileOf.put(route, file.getLocation()));
            } catch (Exception e) {
                undo(model, before);
                String why = rootMessage(e);
                synchronized (broken) {
                    broken.put(file.getLocation(), why);
                }
                LOG.error("Route file {} is not loaded, so its syncs do not run (the other files' do): {}. Fix it and"
                        + " restart; `rowcast validate` checks route files without starting anything", file.getLocation(), why);
            }
        }
    }

    /** The files the pattern (comma-separated patterns) names, each once, in name order, so which of two files repeating a route id is refused does not depend on the file system. */
    private List<Resource> files(CamelContext camel) {
        Map<String, Resource> files = new TreeMap<>();
        for (String include : pattern.split(",")) {
            try {
                PluginHelper.getPackageScanResourceResolver(camel).findResources(include.trim())
                        .forEach(file -> files.putIfAbsent(file.getLocation(), file));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot list the route files " + include.trim() + ": " + rootMessage(e), e);
            }
        }
        return List.copyOf(files.values());
    }

    /** Takes out the routes a file that failed added, and puts back those it replaced: a file is loaded whole or not at all. */
    private static void undo(Model model, Set<RouteDefinition> before) {
        try {
            List<RouteDefinition> added = added(model, before);
            if (!added.isEmpty()) {
                model.removeRouteDefinitions(added);
            }
            Set<RouteDefinition> now = identitySet(model.getRouteDefinitions());
            List<RouteDefinition> missing = before.stream().filter(r -> !now.contains(r)).toList();
            if (!missing.isEmpty()) {
                model.addRouteDefinitions(missing);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not take a broken route file's routes out: " + rootMessage(e), e);
        }
    }

    private static List<RouteDefinition> added(Model model, Set<RouteDefinition> before) {
        return model.getRouteDefinitions().stream().filter(r -> !before.contains(r)).toList();
    }

    private static Set<RouteDefinition> identitySet(java.util.Collection<RouteDefinition> routes) {
        Set<RouteDefinition> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(routes);
        return set;
    }

    @Override
    public void afterApplicationStart(CamelContext camel) { }

    /** The route files that could not be loaded, by location, with why. */
    public Map<String, String> broken() {
        synchronized (broken) {
            return Map.copyOf(broken);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
