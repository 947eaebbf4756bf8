package io.rowcast.sync;

import java.util.Collection;
import java.util.Map;

import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.SavedRow;

/**
 * The planner of the warehouse engine: the warehouse already dropped unchanged rows, so every row that
 * arrives is added or changed; the state store is asked, chunk by chunk, only which of them are dead
 * or were never delivered.
 */
final class SnapshotPlanner implements Planner {

    private final StateStore state;
    private final String syncId;
    private Map<String, SavedRow> saved = Map.of();
    private long removed;

    SnapshotPlanner(StateStore state, String syncId) {
        this.state = state;
        this.syncId = syncId;
    }

    @Override
    public void prepare(Collection<String> keys) {
        saved = state.lookup(syncId, keys);
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
