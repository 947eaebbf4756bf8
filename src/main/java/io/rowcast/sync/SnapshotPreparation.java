package io.rowcast.sync;

import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import io.rowcast.state.SnapshotColumns;
import io.rowcast.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a run's warehouse snapshot ready for the diff: made if missing, refilled from the state store when not
 * known whole (see SnapshotCompleteness) or after another engine's run, brought in line after an unfinished run, and checked against the model's
 * column names. A reset whose refill from the ledger fails fills it from the model instead.
 */
final class SnapshotPreparation {

    /** (under the run's logger: its lines are part of the run's story, and logging settings name SyncRun) */
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    /** The engine name the ledger records for a run of the warehouse engine. */
    static final String WAREHOUSE = "warehouse";

    /**
     * @param refilledFromModel a reset filled the snapshot from the model, its restore from the ledger having
     *                          failed: once it succeeds, the ledger rows it did not adopt are to be forgotten
     */
    record Prepared(WarehouseSnapshot snapshot, boolean refilledFromModel) { }

    private SnapshotPreparation() { }

    /**
     * @param adopt  the run is a reset
     * @param resend the run sends changed rows (so a rename of the model's columns sends every row again)
     */
    static Prepared prepare(DataSource warehouse, StateStore state, String syncId, String query, PrimaryKey key, long runId,
                            boolean adopt, boolean resend) throws SQLException {
        WarehouseSnapshot snapshot = new WarehouseSnapshot(warehouse, syncId);
        snapshot.ensure(query, key.declared());
        // a run of another engine changed the ledger and not the snapshot: a row changed then and changed back
        // since would look unchanged to the snapshot, and its destination record stay stale
        Optional<String> other = state.ledger().previousEngine(syncId, runId).filter(e -> !e.equals(WAREHOUSE));
        if (other.isPresent()) {
            snapshot.empty();
        }
        // rows last sent before a rename's first run are still to be sent under the new names
        Optional<SnapshotColumns.Recorded> columns = state.snapshotColumns().of(syncId);
        long sentSince = columns.map(SnapshotColumns.Recorded::sinceRun).orElse(0L);
        long restored = 0;
        boolean refilledFromModel = false;
        try {
            restored = snapshot.restoreUnlessWhole(state, syncId, sentSince);
            java.util.OptionalLong settled = state.ledger().unsettledSince(syncId, runId);
            if (restored == 0 && settled.isPresent()) {
                long reconciled = snapshot.reconcile(state, syncId, settled.getAsLong(), sentSince);
                LOG.warn("Sync {}: a run after run {} did not finish committing; brought the warehouse snapshot in line"
                        + " with the state store for the {} rows written since", syncId, settled.getAsLong(), reconciled);
            }
        } catch (WarehouseSnapshot.RestoreFailed e) {
            if (!adopt) {
                throw e;
            }
            // what a failed restore tells the user to run: the snapshot starts afresh from the model's rows, and
            // the ledger rows this reset does not adopt are forgotten once it succeeds (they would fail every later
            // restore, after a warehouse restart empties the snapshot, the same way)
            LOG.warn("Sync {}: {}; reset fills the warehouse snapshot from the model's current rows instead",
                    syncId, e.getMessage());
            snapshot.empty();
            restored = 0;
            refilledFromModel = true;
        }
        snapshot.followColumns(state, syncId, runId, resend, columns).ifPresent(before -> LOG.warn(
                "Sync {}: the model's columns were {}{}", syncId, before, resend ? "; every row is sent again as changed" : ""));
        state.ledger().recordEngine(runId, WAREHOUSE);
        if (restored > 0 && other.isPresent()) {
            LOG.info("Sync {}: the previous run used the {} engine; refilled the warehouse snapshot from the state store"
                    + " ({} rows)", syncId, other.get(), restored);
        } else if (restored > 0) {
            LOG.warn("Sync {}: the warehouse snapshot was not known whole (a warehouse crash or failover empties it, or"
                    + " it was emptied, dropped or made anew); restored {} rows from the state store, so nothing already"
                    + " delivered is sent again", syncId, restored);
        }
        return new Prepared(snapshot, refilledFromModel);
    }
}
