package io.rowcast.sync;

import java.util.Collection;

import io.rowcast.warehouse.Row;

/** Classifies streamed rows against a sync's saved state: the whole state in memory, or looked up chunk by chunk. */
interface Planner {

    /** How one streamed row compares with the saved state. */
    enum Verdict { ADDED, CHANGED, UNCHANGED, DEAD, DUPLICATE }

    /** Called with the keys of the next chunk of rows before they are classified. */
    default void prepare(Collection<String> keys) { }

    Verdict classify(String key, long fingerprint);

    /** As {@link #classify(String, long)}, for planners that read more of the row. */
    default Verdict classify(String key, long fingerprint, Row row) {
        return classify(key, fingerprint);
    }

    /**
     * The model returned this key, though its row was not classified (a duplicate key): it did not leave the
     * model, so it must not count, or be deleted, as removed.
     */
    default void returned(String key) { }

    /** A dead row's change as a reset adopts it: changed if a version of it was delivered, else added. */
    Change deadRowAdoptedAs(String key, Row row);

    /** Delivered rows the model no longer returned; -1 when the planner cannot tell (cursor mode). */
    long removed();
}
