package io.rowcast.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.rowcast.delivery.FatalDeliveryException;
import io.rowcast.delivery.Outcome;
import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.Delivery;
import io.rowcast.state.StateStore.Rejection;

/**
 * Commits a batch once the destination has answered: accepted rows become delivered (and, for the
 * warehouse engine, enter its snapshot), rejected rows are kept with their reason, all in the batch's own
 * transaction. This is the only place a run's saved state moves forward.
 */
final class BatchCommitter {

    private final SyncSettings settings;
    private final StateStore state;
    private final RunCounts counts;
    private final Consumer<String> fail;
    private final long runId;
    private final WarehouseSnapshot snapshot;
    private final boolean extendImage;
    /** Time spent committing, summed over batches (in flight together, so more than wall time): for the run's debug log. */
    private final java.util.concurrent.atomic.LongAdder ledgerNanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder snapshotNanos = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param snapshot    the warehouse engine's snapshot, or null
     * @param extendImage whether batches add their rows to the state image the run loaded
     */
    BatchCommitter(SyncSettings settings, StateStore state, RunCounts counts, Consumer<String> fail, long runId,
                   WarehouseSnapshot snapshot, boolean extendImage) {
        this.settings = settings;
        this.state = state;
        this.counts = counts;
        this.fail = fail;
        this.runId = runId;
        this.snapshot = snapshot;
        this.extendImage = extendImage;
    }

    /** Commits a finished batch; {@code error} is how the route failed, if it did. True if every row was accepted. */
    boolean complete(Batch batch, Throwable error) {
        if (error instanceof FatalDeliveryException) {
            fail.accept(error.getMessage());
        }
        List<Delivery> delivered = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        List<RunCounter> outcomes = new ArrayList<>();
        for (BatchItem item : batch.items()) {
            Outcome outcome = item.outcome();
            if (outcome == null && error instanceof FatalDeliveryException) {
                counts.add(RunCounter.UNSENT, 1);
                continue;
            }
            if (item.record() != null && outcome != null && outcome.answered()) {
                counts.add(RunCounter.RECORDS_SENT, 1);   // the destination answered for it
            }
            if (outcome == null) {
                outcome = error != null
                        ? Outcome.rejected("ERROR", String.valueOf(error.getMessage()))
                        : Outcome.rejected("NO_OUTCOME", "the route finished without delivering this row; check the route ends with a destination");
            }
            if (outcome.accepted()) {
                delivered.add(new Delivery(item.key(), item.change(), item.fingerprint(),
                        snapshot == null ? null : snapshot.ledgerPosition(item.key())));
                outcomes.add(RunCounter.succeeded(item.change()));
            } else {
                rejections.add(new Rejection(item.key(), item.change(), outcome.code(), outcome.reason(), outcome.answered()));
                outcomes.add(RunCounter.failed(item.change()));
            }
        }
        boolean inLedger = false;
        try {
            long started = System.nanoTime();
            java.util.Map<String, String> ledgerPositions = state.recordOutcomes(batch.syncId(), runId, batch.sequence(),
                    extendImage, delivered, rejections, settings.maxRowAttempts());
            // counted once the ledger has them: a batch whose commit rolled back is not accepted, nor rejected
            // without a reason on record, but unsent (its rows go with the next run)
            outcomes.forEach(counter -> counts.add(counter, 1));
            counts.add(RunCounter.ACCEPTED, delivered.size());
            counts.add(RunCounter.REJECTED, rejections.size());
            inLedger = true;
            long recorded = System.nanoTime();
            ledgerNanos.add(recorded - started);
            if (snapshot != null) {
                snapshot.commit(batch.items().stream().filter(i -> i.outcome() != null && i.outcome().accepted()).toList(),
                        ledgerPositions);
                if (!rejections.isEmpty()) {
                    snapshot.markPending(batch.items().stream().filter(i -> i.outcome() == null || !i.outcome().accepted())
                            .filter(i -> !(i.outcome() == null && error instanceof FatalDeliveryException)).toList());
                }
                snapshotNanos.add(System.nanoTime() - recorded);
            }
        } catch (RuntimeException e) {
            if (!inLedger) {
                counts.add(RunCounter.UNSENT, outcomes.size());
            }
            fail.accept(e.getMessage());
            return false;
        } finally {
            if (snapshot != null) {
                snapshot.settled(batch.items());   // a rejected row's positions too: kept, they would pile up over a run
            }
        }
        return delivered.size() == batch.items().size();
    }

    /** Where commit time went, for the run's debug log. */
    String timings() {
        return "ledger " + ledgerNanos.sum() / 1_000_000 + " ms" + (snapshot == null ? ""
                : ", warehouse snapshot " + snapshotNanos.sum() / 1_000_000 + " ms") + " (summed over batches)";
    }
}
