package io.rowcast.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.rowcast.RootCause;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
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
            Loaded before = new Loaded(model);
            try {
                PluginHelper.getRoutesLoader(camel).loadRoutes(file);
                List<RouteDefinition> loaded = before.addedRoutes(model);
                // Camel's model takes a route of an id it has for a new version of it: the earlier file's would be gone
                List<RouteDefinition> replaced = before.missingRoutes(model);
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
                before.restore(model);
                String why = SecretText.redact(RootCause.message(e));   // (a parser's error quotes the line)
                synchronized (broken) {
                    broken.put(file.getLocation(), why);
                }
                LOG.error("Route file {} is not loaded, so its syncs do not run (the other files' do): {}. Fix it and"
                        + " restart; `rowcast validate` checks route files without starting anything", file.getLocation(), why);
            }
        }
    }

    /**
     * The files the pattern names (comma-separated patterns; {@code false} for none; {@code ?optional=true} for
     * one that may match nothing, as Camel reads them), each once, in name order, so which of two files repeating a
     * route id is refused does not depend on the file system.
     */
    private List<Resource> files(CamelContext camel) {
        Map<String, Resource> files = new TreeMap<>();
        if ("false".equalsIgnoreCase(pattern.trim())) {
            return List.of();
        }
        for (String part : pattern.split(",")) {
            String include = part.trim();
            boolean optional = include.endsWith("?optional=true");
            include = include.replaceFirst("\\?optional=(true|false)$", "");
            try {
                PluginHelper.getPackageScanResourceResolver(camel).findResources(include)
                        .forEach(file -> files.putIfAbsent(file.getLocation(), file));
            } catch (Exception e) {
                if (!optional) {
                    throw new IllegalStateException("Cannot list the route files " + include + ": " + RootCause.message(e), e);
                }
            }
        }
        return List.copyOf(files.values());
    }

    /**
     * What the model held before a file was loaded: its routes, route configurations (one without an id applies to
     * every route loaded after it) and route templates, in order. A file that fails is taken out by putting these
     * back: loaded whole or not at all. (Beans a file binds stay bound.)
     */
    private static final class Loaded {
        private final List<RouteDefinition> routes;
        private final Set<RouteConfigurationDefinition> configurations;
        private final Set<RouteTemplateDefinition> templates;

        Loaded(Model model) {
            this.routes = List.copyOf(model.getRouteDefinitions());
            this.configurations = identitySet(model.getRouteConfigurationDefinitions());
            this.templates = identitySet(model.getRouteTemplateDefinitions());
        }

        List<RouteDefinition> addedRoutes(Model model) {
            Set<RouteDefinition> before = identitySet(routes);
            return model.getRouteDefinitions().stream().filter(r -> !before.contains(r)).toList();
        }

        List<RouteDefinition> missingRoutes(Model model) {
            Set<RouteDefinition> now = identitySet(model.getRouteDefinitions());
            return routes.stream().filter(r -> !now.contains(r)).toList();
        }

        void restore(Model model) {
            try {
                List<RouteDefinition> added = addedRoutes(model);
                if (!added.isEmpty()) {
                    model.removeRouteDefinitions(added);
                }
                List<RouteDefinition> missing = missingRoutes(model);
                if (!missing.isEmpty()) {
                    model.addRouteDefinitions(missing);
                }
                for (RouteConfigurationDefinition c : List.copyOf(model.getRouteConfigurationDefinitions())) {
                    if (!configurations.contains(c)) {
                        model.removeRouteConfiguration(c);
                    }
                }
                List<RouteTemplateDefinition> newTemplates = model.getRouteTemplateDefinitions().stream()
                        .filter(t -> !templates.contains(t)).toList();
                if (!newTemplates.isEmpty()) {
                    model.removeRouteTemplateDefinitions(newTemplates);
                }
            } catch (Exception e) {
                throw new IllegalStateException("Could not take a broken route file's routes out: " + RootCause.message(e), e);
            }
        }
    }

    private static <T> Set<T> identitySet(java.util.Collection<T> items) {
        Set<T> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(items);
        return set;
    }

    @Override
    public void afterApplicationStart(CamelContext camel) { }

    /** The route files that could not be loaded, by location (in name order), with why. */
    public Map<String, String> broken() {
        synchronized (broken) {
            return java.util.Collections.unmodifiableMap(new TreeMap<>(broken));
        }
    }
}
