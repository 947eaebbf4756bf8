package io.rowcast.config;

import java.util.List;
import java.util.Map;
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
        this.pattern = environment.getProperty("camel.main.routes-include-pattern", "file:routes/*.yaml");
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, String> fileOf = new java.util.HashMap<>();
        // in name order, so which of two files repeating a route id is refused does not depend on the file system
        List<Resource> files = new java.util.ArrayList<>();
        for (String include : pattern.split(",")) {
            try {
                files.addAll(PluginHelper.getPackageScanResourceResolver(camel).findResources(include.trim()));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot list the route files " + include.trim() + ": " + rootMessage(e), e);
            }
        }
        files.sort(java.util.Comparator.comparing(Resource::getLocation));
        for (Resource file : files) {
            Map<String, RouteDefinition> before = new java.util.HashMap<>();
            model.getRouteDefinitions().forEach(route -> before.put(route.getRouteId(), route));
            try {
                PluginHelper.getRoutesLoader(camel).loadRoutes(file);
                List<RouteDefinition> loaded = model.getRouteDefinitions().stream()
                        .filter(route -> before.get(route.getRouteId()) != route).toList();
                // Camel's model takes a route of an id it has for a new version of it: the first file's would be gone
                List<String> repeated = loaded.stream().map(RouteDefinition::getRouteId).filter(before::containsKey).toList();
                if (!repeated.isEmpty()) {
                    model.removeRouteDefinitions(loaded);
                    model.addRouteDefinitions(repeated.stream().map(before::get).toList());
                    throw new IllegalArgumentException("route id(s) " + repeated + " also in " + repeated.stream()
                            .map(fileOf::get).distinct().toList() + "; give each route its own id");
                }
                loaded.forEach(route -> fileOf.put(route.getRouteId(), file.getLocation()));
            } catch (Exception e) {
                String why = rootMessage(e);
                synchronized (broken) {
                    broken.put(file.getLocation(), why);
                }
                LOG.error("Route file {} is not loaded, so its syncs do not run (the other files' do): {}. Fix it and"
                        + " restart; `rowcast validate` checks route files without starting anything", file.getLocation(), why);
            }
        }
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
