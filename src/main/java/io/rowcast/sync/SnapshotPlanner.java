package io.rowcast.sync;

import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.SavedRow;

/**
 * The planner of the warehouse engine: the warehouse already dropped unchanged rows, so every row that
 * arrives is added or changed; the state store is asked, chunk by chunk, only which of them are dead
 * or were never delivered.
 */
final class SnapshotPlanner extends KeyLookupPlanner {

    private long removed;

    SnapshotPlanner(StateStore state, String syncId) {
        super(state, syncId);
    }

    @Override
    public Verdict classify(String key, long fingerprint) {
        SavedRow row = saved.get(key);
        if (row != null && "dead".equals(row.status())) {
            return Verdict.DEAD;
        }
        return row == null || row.fingerprint() == null ? Verdict.ADDED : Verdict.CHANGED;
    }

    void removedRow() { removed++; }

    @Override
    public long removed() { return removed; }
}
