package io.rowcast.sync;

import java.util.function.Consumer;

/** Hands a batch to the rest of the route; {@code done} gets the exchange's exception, or null. */
@FunctionalInterface
public interface BatchDispatcher {
    void dispatch(Batch batch, Consumer<Throwable> done);
}
