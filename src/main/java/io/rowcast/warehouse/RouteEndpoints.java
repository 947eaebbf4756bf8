package io.rowcast.warehouse;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Endpoint;
import org.apache.camel.EndpointAware;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;

/** The endpoints a route sends to, in order: how a sync finds its mapping files and its destination. */
public final class RouteEndpoints {

    private RouteEndpoints() { }

    public static List<Endpoint> of(Route route) {
        List<Endpoint> endpoints = new ArrayList<>();
        collect(route.navigate(), endpoints);
        return endpoints;
    }

    private static void collect(Navigate<Processor> node, List<Endpoint> out) {
        if (node == null || !node.hasNext()) {
            return;
        }
        for (Processor p : node.next()) {
            if (p instanceof EndpointAware aware && aware.getEndpoint() != null) {
                out.add(aware.getEndpoint());
            }
            if (p instanceof Navigate<?> child) {
                @SuppressWarnings("unchecked")
                Navigate<Processor> typed = (Navigate<Processor>) child;
                collect(typed, out);
            }
        }
    }
}
