package io.rowcast.config;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Binds a route's endpoint options so that a bad one fails that route's start, not the whole application's: Camel
 * resolves every endpoint before any route starts, so an exception here would stop every sync.
 */
public final class EndpointOptions {

    /** Sets options from the parameters it takes out of the map, or checks them. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private EndpointOptions() { }

    /**
     * Runs {@code bind}, refuses any parameter it left as unknown (naming the README section {@code documentedAs}),
     * then runs {@code validate}. An invalid or unknown option goes to {@code refuse}, for the route's start to report.
     */
    public static void bindOrRefuse(String endpoint, Map<String, Object> parameters, String documentedAs, Step bind,
                                    Step validate, Consumer<String> refuse) throws Exception {
        try {
            bind.run();
            if (!parameters.isEmpty()) {
                throw new IllegalArgumentException(endpoint + " has unknown option(s) " + parameters.keySet()
                        + "; see the README's options of " + documentedAs);
            }
            validate.run();
        } catch (RuntimeException e) {
            refuse.accept(e.getMessage());
            parameters.clear();
        }
    }
}
