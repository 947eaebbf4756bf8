package io.rowcast.sync;

import java.util.Collection;
import java.util.Map;

import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.SavedRow;
import io.rowcast.warehouse.Row;

/**
 * The planner of cursor mode: an incremental read returns few rows, so each chunk's keys are looked up
 * in the state store (one query a chunk) instead of loading the whole state. It cannot see removed rows.
 */
class KeyLookupPlanner implements Planner {

    private final StateStore state;
    private final String syncId;
    /** The saved state of the current chunk's keys. */
    protected Map<String, SavedRow> saved = Map.of();

    KeyLookupPlanner(StateStore state, String syncId) {
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
        if (row == null) {
            return Verdict.ADDED;
        }
        if ("dead".equals(row.status())) {
            return Verdict.DEAD;
        }
        if (row.fingerprint() == null) {
            return Verdict.ADDED;
        }
        if ("rejected".equals(row.status())) {
            return Verdict.CHANGED;
        }
        return row.fingerprint() == fingerprint ? Verdict.UNCHANGED : Verdict.CHANGED;
    }

    @Override
    public Change deadRowAdoptedAs(String key, Row row) {
        SavedRow saved = this.saved.get(key);
        return saved != null && saved.fingerprint() != null ? Change.CHANGED : Change.ADDED;
    }

    @Override
    public long removed() { return -1; }
}
