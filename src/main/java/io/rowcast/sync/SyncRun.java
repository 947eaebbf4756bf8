package io.rowcast.sync;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.rowcast.delivery.FatalDeliveryException;
import io.rowcast.delivery.Outcome;
import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.Rejection;
import io.rowcast.warehouse.RowCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sync: stream the model's rows, drop the ones already delivered, send the rest in
 * batches with at most {@code maxInFlight} batches outstanding, and commit each batch's outcomes as it
 * completes. State only ever advances for rows the destination accepted.
 */
public final class SyncRun {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final SyncSettings settings;
    private final DataSource warehouse;
    private final StateStore state;
    private final BatchDispatcher dispatcher;
    private final Semaphore inFlight;

    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private long runId;
    private int sequence;

    public SyncRun(SyncSettings settings, DataSource warehouse, StateStore state, BatchDispatcher dispatcher) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.state = state;
        this.dispatcher = dispatcher;
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    public RunRecord execute() {
        Instant started = Instant.now();
        runId = state.startRun(settings.syncId(), started);
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
        String error = fatal.get();
        RunStatus status = error != null ? RunStatus.FAILED : rejected.get() > 0 ? RunStatus.PARTIAL : RunStatus.SUCCESS;
        RunRecord record = new RunRecord(runId, settings.syncId(), started, Instant.now(), status, rowsRead.get(),
                skipped.get(), sent.get(), accepted.get(), rejected.get(), unsent.get(), error);
        state.finishRun(record);
        return record;
    }

    private void streamAndSend() throws SQLException, InterruptedException {
        PrimaryKey key = new PrimaryKey(settings.primaryKey());
        try (RowCursor rows = RowCursor.open(warehouse, settings.query(), settings.fetchSize())) {
            key.bind(rows.columns());
            List<BatchItem> chunk = new ArrayList<>(settings.batchSize());
            List<BatchItem> pending = new ArrayList<>(settings.batchSize() * 2);
            List<Rejection> nullKeys = new ArrayList<>();
            Map<String, Object> row;
            while (fatal.get() == null && (row = rows.next()) != null) {
                rowsRead.incrementAndGet();
                String k = key.keyOf(row);
                if (k == null) {
                    nullKeys.add(new Rejection("row " + rowsRead.get(), "NULL_PRIMARY_KEY",
                            "primary key " + key.declared() + " is NULL; fix the model so every row has a key"));
                    continue;
                }
                chunk.add(new BatchItem(k, row));
                if (chunk.size() == settings.batchSize()) {
                    plan(chunk, pending);
                    chunk = new ArrayList<>(settings.batchSize());
                }
            }
            plan(chunk, pending);
            if (!pending.isEmpty()) {
                send(pending);
            }
            if (!nullKeys.isEmpty()) {
                rejected.addAndGet(nullKeys.size());
                state.recordOutcomes(settings.syncId(), runId, List.of(), nullKeys);
            }
        }
    }

    /** Drops the rows already delivered and sends full batches of what is left. */
    private void plan(List<BatchItem> chunk, List<BatchItem> pending) throws InterruptedException {
        if (chunk.isEmpty()) {
            return;
        }
        Set<String> delivered = state.deliveredAmong(settings.syncId(), chunk.stream().map(BatchItem::key).toList());
        skipped.addAndGet(delivered.size());
        for (BatchItem item : chunk) {
            if (!delivered.contains(item.key())) {
                pending.add(item);
            }
        }
        while (pending.size() >= settings.batchSize()) {
            List<BatchItem> batch = new ArrayList<>(pending.subList(0, settings.batchSize()));
            pending.subList(0, settings.batchSize()).clear();
            send(batch);
        }
    }

    private void send(List<BatchItem> items) throws InterruptedException {
        inFlight.acquire();
        if (fatal.get() != null) {
            unsent.addAndGet(items.size());
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
        List<String> acceptedKeys = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        for (BatchItem item : batch.items()) {
            Outcome outcome = item.outcome();
            if (outcome == null && error instanceof FatalDeliveryException) {
                unsent.incrementAndGet();
                continue;
            }
            if (outcome == null) {
                outcome = error != null
                        ? Outcome.rejected("ERROR", error.getMessage())
                        : Outcome.rejected("NO_OUTCOME", "the route finished without delivering this row; check the route ends with a destination");
            }
            if (item.record() != null) {
                sent.incrementAndGet();
            }
            if (outcome.accepted()) {
                acceptedKeys.add(item.key());
            } else {
                rejections.add(new Rejection(item.key(), outcome.code(), outcome.reason()));
            }
        }
        accepted.addAndGet(acceptedKeys.size());
        rejected.addAndGet(rejections.size());
        try {
            state.recordOutcomes(batch.syncId(), runId, acceptedKeys, rejections);
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
    }

    private void fail(String message) {
        fatal.compareAndSet(null, message == null ? "unknown error" : message);
    }
}
