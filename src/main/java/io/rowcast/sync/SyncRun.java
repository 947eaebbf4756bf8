package io.rowcast.sync;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.rowcast.delivery.FatalDeliveryException;
import io.rowcast.delivery.Outcome;
import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.Delivery;
import io.rowcast.state.StateStore.Rejection;
import io.rowcast.sync.ChangePlanner.Verdict;
import io.rowcast.warehouse.Row;
import io.rowcast.warehouse.RowCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sync: stream the model's rows, classify each against the saved state (added, changed,
 * unchanged, dead), send what the mode wants in batches with at most {@code maxInFlight} outstanding,
 * and commit each batch's outcomes as it completes. State only advances for rows the destination accepted,
 * so a run killed half-way loses nothing: at most the batches in flight are sent again.
 */
public final class SyncRun {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final SyncSettings settings;
    private final DataSource warehouse;
    private final StateStore state;
    private final BatchDispatcher dispatcher;
    private final RowFingerprint routeFingerprint;
    private final Semaphore inFlight;
    private final Map<RunCounter, AtomicLong> counts = new EnumMap<>(RunCounter.class);
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private long runId;
    private int sequence;

    private final boolean adopt;

    /**
     * @param adopt a reset: every added or changed row goes to {@code dispatcher} whatever the mode,
     *              which settles it as delivered without sending
     */
    public SyncRun(SyncSettings settings, DataSource warehouse, StateStore state, BatchDispatcher dispatcher,
                   String routeSignature, boolean adopt) {
        this.adopt = adopt;
        this.settings = settings;
        this.warehouse = warehouse;
        this.state = state;
        this.dispatcher = dispatcher;
        this.routeFingerprint = new RowFingerprint(routeSignature);
        this.inFlight = new Semaphore(settings.maxInFlight());
        for (RunCounter c : RunCounter.values()) {
            counts.put(c, new AtomicLong());
        }
    }

    public RunRecord execute() {
        Instant started = Instant.now();
        runId = state.startRun(settings.syncId(), settings.mode().value(), started);
        try {
            streamAndSend();
        } catch (SQLException e) {
            fail("the model query failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("the run was interrupted");
        } catch (RuntimeException e) {
            LOG.error("Run {} of {} failed", runId, settings.syncId(), e);
            fail(e.getMessage());
        } finally {
            inFlight.acquireUninterruptibly(settings.maxInFlight());
        }
        add(RunCounter.NEWLY_DEAD, state.deadInRun(settings.syncId(), runId));
        String error = fatal.get();
        RunStatus status = error != null ? RunStatus.FAILED
                : count(RunCounter.REJECTED) > 0 ? RunStatus.PARTIAL : RunStatus.SUCCESS;
        Map<RunCounter, Long> totals = new EnumMap<>(RunCounter.class);
        counts.forEach((c, v) -> totals.put(c, v.get()));
        RunRecord record = new RunRecord(runId, settings.syncId(), settings.mode().value(), started, Instant.now(), status,
                totals, error);
        state.finishRun(record);
        return record;
    }

    private void streamAndSend() throws SQLException, InterruptedException {
        PrimaryKey key = new PrimaryKey(settings.primaryKey());
        // the saved state loads on another thread while the warehouse looks for duplicate keys
        CompletableFuture<ChangePlanner> loading = CompletableFuture.supplyAsync(
                () -> ChangePlanner.load(state, settings.syncId()));
        Set<String> duplicateKeys = settings.checkDuplicates()
                ? DuplicateKeys.find(warehouse, settings.query(), key) : Set.of();
        ChangePlanner planner = join(loading);
        List<Rejection> refused = new ArrayList<>();
        try (RowCursor rows = RowCursor.open(warehouse, settings.query(), settings.fetchSize())) {
            key.bind(rows.columns());
            RowFingerprint fingerprints = routeFingerprint.forColumns(rows.columns());
            List<BatchItem> batch = new ArrayList<>(settings.batchSize());
            Row row;
            while (fatal.get() == null && (row = rows.next()) != null) {
                add(RunCounter.ROWS_READ, 1);
                String k = key.keyOf(row);
                if (k == null) {
                    add(RunCounter.NULL_KEYS, 1);
                    refused.add(new Rejection("(row " + count(RunCounter.ROWS_READ) + ")", null, "NULL_PRIMARY_KEY",
                            "primary key " + key.declared() + " is NULL; fix the model so every row has a key"));
                    continue;
                }
                long fingerprint = fingerprints.of(row);
                Verdict verdict = duplicateKeys.contains(k) ? Verdict.DUPLICATE : planner.classify(k, fingerprint);
                Change change = switch (verdict) {
                    case DUPLICATE -> {
                        add(RunCounter.DUPLICATES, 1);
                        refused.add(new Rejection(k, null, "DUPLICATE_PRIMARY_KEY", "the model returned more than one row"
                                + " with primary key " + k + "; none of them is sent until the key is unique"));
                        yield null;
                    }
                    case DEAD -> {
                        add(RunCounter.DEAD, 1);
                        yield null;
                    }
                    case UNCHANGED -> {
                        add(RunCounter.UNCHANGED, 1);
                        yield settings.mode() == SyncMode.ALL ? Change.CHANGED : null;
                    }
                    case ADDED -> Change.ADDED;
                    case CHANGED -> Change.CHANGED;
                };
                if (change == null || !(adopt || settings.mode().sends(change, settings.removedRows()))) {
                    add(RunCounter.ROWS_SKIPPED, 1);
                    continue;
                }
                add(RunCounter.planned(change), 1);
                batch.add(new BatchItem(k, row, change, fingerprint));
                if (batch.size() == settings.batchSize()) {
                    send(batch);
                    batch = new ArrayList<>(settings.batchSize());
                }
            }
            if (!batch.isEmpty()) {
                send(batch);
            }
        }
        if (fatal.get() == null) {
            add(RunCounter.REMOVED, planner.removed());
        }
        if (!refused.isEmpty()) {
            add(RunCounter.REJECTED, refused.size());
            state.recordRefusals(settings.syncId(), runId, refused);
        }
    }

    private void send(List<BatchItem> items) throws InterruptedException {
        inFlight.acquire();
        if (fatal.get() != null) {
            add(RunCounter.UNSENT, items.size());
            inFlight.release();
            return;
        }
        Batch batch = new Batch(settings.syncId(), runId, ++sequence, items);
        try {
            dispatcher.dispatch(batch, error -> {
                try {
                    complete(batch, error);
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** Commits a finished batch: accepted rows become delivered, rejected rows are kept with their reason. */
    private void complete(Batch batch, Throwable error) {
        if (error instanceof FatalDeliveryException) {
            fail(error.getMessage());
        }
        List<Delivery> delivered = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        for (BatchItem item : batch.items()) {
            Outcome outcome = item.outcome();
            if (outcome == null && error instanceof FatalDeliveryException) {
                add(RunCounter.UNSENT, 1);
                continue;
            }
            if (outcome == null) {
                outcome = error != null
                        ? Outcome.rejected("ERROR", String.valueOf(error.getMessage()))
                        : Outcome.rejected("NO_OUTCOME", "the route finished without delivering this row; check the route ends with a destination");
            }
            if (item.record() != null) {
                add(RunCounter.RECORDS_SENT, 1);
            }
            if (outcome.accepted()) {
                delivered.add(new Delivery(item.key(), item.change(), item.fingerprint()));
                add(RunCounter.succeeded(item.change()), 1);
            } else {
                rejections.add(new Rejection(item.key(), item.change(), outcome.code(), outcome.reason()));
                add(RunCounter.failed(item.change()), 1);
            }
        }
        add(RunCounter.ACCEPTED, delivered.size());
        add(RunCounter.REJECTED, rejections.size());
        try {
            state.recordOutcomes(batch.syncId(), runId, delivered, rejections, settings.maxRowAttempts());
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
    }

    private static ChangePlanner join(CompletableFuture<ChangePlanner> loading) throws InterruptedException {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void add(RunCounter counter, long n) { counts.get(counter).addAndGet(n); }

    private long count(RunCounter counter) { return counts.get(counter).get(); }

    private void fail(String message) {
        fatal.compareAndSet(null, message == null ? "unknown error" : message);
    }
}
