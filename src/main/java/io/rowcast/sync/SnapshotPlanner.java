package io.rowcast.sync;

import io.rowcast.state.StateStore;
import io.rowcast.warehouse.Row;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

/**
 * The planner of the warehouse engine: the warehouse already dropped unchanged rows, and its diff says
 * whether each remaining row was in the snapshot (changed) or not (added). The state store only adds
 * which keys are dead, read once at the start.
 */
final class SnapshotPlanner implements Planner {

    private final LongOpenHashSet dead;
    /** Rows that left the model, or -1: the diff returns them only when the mode deletes them. */
    private long removed;

    SnapshotPlanner(StateStore state, String syncId, boolean seesRemoved) {
        this.dead = state.deadKeyHashes(syncId);
        this.removed = seesRemoved ? 0 : -1;
    }

    @Override
    public Verdict classify(String key, long fingerprint, Row row) {
        if (!dead.isEmpty() && dead.contains(RowFingerprint.keyHash(key))) {
            return Verdict.DEAD;
        }
        return WarehouseSnapshot.wasInSnapshot(row) ? Verdict.CHANGED : Verdict.ADDED;
    }

    @Override
    public Verdict classify(String key, long fingerprint) {
        throw new UnsupportedOperationException("the warehouse engine classifies the diff's rows");
    }

    @Override
    public Change deadRowAdoptedAs(String key, Row row) {
        return WarehouseSnapshot.wasInSnapshot(row) ? Change.CHANGED : Change.ADDED;
    }

    void removedRow() { removed++; }

    @Override
    public long removed() { return removed; }
}
