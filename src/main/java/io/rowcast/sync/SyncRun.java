package io.rowcast.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.rowcast.state.StateStore;
import io.rowcast.state.StateStore.Rejection;
import io.rowcast.sync.Planner.Verdict;
import io.rowcast.warehouse.ModelColumns;
import io.rowcast.warehouse.Row;
import io.rowcast.warehouse.RowCursor;
import io.rowcast.warehouse.dialect.WarehouseDialect;
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
    private final RunCounts counts = new RunCounts();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private long runId;
    private int sequence;
    private WarehouseSnapshot snapshot;
    /** A planned row as the destination gets it: the model's columns only (the warehouse engine's diff adds its own). */
    private java.util.function.UnaryOperator<Row> destinationRow = java.util.function.UnaryOperator.identity();
    private boolean localState;
    private volatile BatchCommitter committer;
    /** Keys whose delete ran out of attempts, read when the run first has a removed row to send. */
    private it.unimi.dsi.fastutil.longs.LongOpenHashSet deadDeletes;

    private final boolean adopt;

    /**
     * @param adopt a reset: every added or changed row (dead ones too) goes to {@code dispatcher} whatever the
     *              mode, which settles it as delivered without sending
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
    }

    /** A reset that filled the warehouse snapshot from the model, its restore from the ledger having failed. */
    private boolean refilledFromModel;

    /** Whether the run still holds its sync's lease (always, unless told otherwise). */
    private java.util.function.BooleanSupplier held = () -> true;

    /** The run asks {@code held} before work that only the lease's holder may do. */
    public SyncRun whileHolding(java.util.function.BooleanSupplier held) {
        this.held = held;
        return this;
    }

    /** Resync of a warehouse-engine sync: its snapshot table goes too. */
    public static void forgetWarehouseSnapshot(DataSource warehouse, String syncId) {
        new WarehouseSnapshot(warehouse, syncId).drop();
    }

    public RunRecord execute() {
        Instant started = Instant.now();
        Error thrown = null;
        int abandoned = state.ledger().abandonRuns(settings.syncId());
        if (abandoned > 0) {
            LOG.warn("Sync {}: {} earlier run(s) never finished (their process stopped); marked failed", settings.syncId(), abandoned);
        }
        // a warehouse run records its engine only once its snapshot is in step with the ledger (below)
        runId = state.ledger().startRun(settings.syncId(), settings.mode().value(),
                usesSnapshot() ? null : settings.incremental() ? "cursor" : "local", started);
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
        } catch (Error e) {
            // (out of memory, say: the run is recorded as failed with it, then it goes on up)
            fail(e.toString());
            thrown = e;
        } finally {
            inFlight.acquireUninterruptibly(settings.maxInFlight());
        }
        if (committer != null) {
            LOG.debug("Sync {} run {}: batches committed; {}", settings.syncId(), runId, committer.timings());
        }
        if (localState && held.getAsBoolean()) {
            compactSavedRows();   // (not by a run whose lease another process may hold: its image would be stale)
        }
        try {
            add(RunCounter.NEWLY_DEAD, state.deadInRun(settings.syncId(), runId));
            if (refilledFromModel && fatal.get() == null) {
                LOG.warn("Sync {}: forgot {} ledger rows of keys the model no longer returns", settings.syncId(),
                        state.forgetRowsWrittenBefore(settings.syncId(), runId));
                snapshot.markWhole();   // (cut short, the snapshot holds part of the model: the next run restores it)
            }
        } catch (RuntimeException e) {
            fail("could not finish the run: " + e.getMessage());
        }
        String error = fatal.get();
        RunStatus status = error != null ? RunStatus.FAILED
                : count(RunCounter.REJECTED) > 0 ? RunStatus.PARTIAL : RunStatus.SUCCESS;
        RunRecord record = new RunRecord(runId, settings.syncId(), settings.mode().value(), started, Instant.now(), status,
                counts.totals(), error);
        state.ledger().finishRun(record);
        if (thrown != null) {
            throw thrown;
        }
        return record;
    }

    /** The in-warehouse engine's snapshot takes part (mode all sends every row: nothing for the warehouse to diff). */
    private boolean usesSnapshot() {
        return settings.warehouseState() && settings.mode() != SyncMode.ALL;
    }

    /**
     * The cursor column's type, in which a cursor saved as text is compared (PostgreSQL has no time >= varchar);
     * null for a warehouse without a dialect, whose driver's type names may not be types to cast to.
     */
    private String cursorColumnType() throws SQLException {
        Optional<WarehouseDialect> dialect = WarehouseDialect.find(warehouse);
        if (dialect.isEmpty()) {
            return null;
        }
        try (Connection c = warehouse.getConnection()) {
            return ModelColumns.typeName(c, settings.query(), settings.cursor()).map(dialect.get()::castType).orElse(null);
        }
    }

    /** Whether the run sends changed rows: the mode wants them, or a reset adopts them. */
    private boolean wantsChanges() {
        return adopt || settings.mode().sends(Change.CHANGED, settings.removedRows());
    }

    /**
     * Everything the run asks of the warehouse (snapshot upkeep, duplicate check, the read) happens while it holds
     * one of the pool's {@link io.rowcast.warehouse.WarehouseStreams}, so a connection is always left for commits.
     */
    private void streamAndSend() throws SQLException, InterruptedException {
        java.util.concurrent.Semaphore streams = io.rowcast.warehouse.WarehouseStreams.of(warehouse);
        if (!streams.tryAcquire()) {
            LOG.info("Sync {} run {}: as many runs as the warehouse pool allows are reading from it; waiting for one to"
                    + " end", settings.syncId(), runId);
            streams.acquire();
        }
        try {
            readAndSend();
        } finally {
            streams.release();   // (a run's last batches may still commit: the pool keeps a connection for them)
        }
    }

    private void readAndSend() throws SQLException, InterruptedException {
        PrimaryKey key = new PrimaryKey(settings.primaryKey());
        SyncCursor cursor = settings.incremental() ? new SyncCursor(settings, state, cursorColumnType(), held) : null;
        String query = cursor == null ? settings.query() : cursor.query(settings.query());
        Object[] parameters = cursor == null ? new Object[0] : cursor.parameters();
        if (usesSnapshot()) {
            SnapshotPreparation.Prepared prepared = SnapshotPreparation.prepare(warehouse, state, settings.syncId(),
                    settings.query(), key, runId, adopt, wantsChanges());
            snapshot = prepared.snapshot();
            refilledFromModel = prepared.refilledFromModel();
        }
        // the warehouse engine looks for rows that left the model only when the mode deletes them
        boolean deletes = settings.mode().deletes(settings.removedRows());
        // the saved state loads on another thread while the warehouse looks for duplicate keys
        long started = System.nanoTime();
        CompletableFuture<Planner> loading = CompletableFuture.supplyAsync(() -> {
            Planner loaded = snapshot != null
                ? new SnapshotPlanner(state, settings.syncId(), deletes)
                : cursor != null ? new KeyLookupPlanner(state, settings.syncId()) : ChangePlanner.load(state, settings.syncId());
            LOG.debug("Sync {} run {}: saved state loaded in {} ms", settings.syncId(), runId, millisSince(started));
            return loaded;
        });
        boolean checkDuplicates = settings.checkDuplicates() && !keyProvenUnique(key);
        // (the warehouse engine finds duplicates in its diff)
        Set<String> duplicateKeys = checkDuplicates && snapshot == null
                ? DuplicateKeys.find(warehouse, query, key, parameters) : new java.util.HashSet<>();
        LOG.debug("Sync {} run {}: duplicate keys checked in {} ms", settings.syncId(), runId, millisSince(started));
        Planner planner = join(loading);
        localState = planner instanceof ChangePlanner;
        if (!localState) {
            state.savedRows().forget(settings.syncId());   // this run changes sync_row without extending the image
        }
        // batches of a run that read the state image add their rows to it (so it stays equal to sync_row)
        committer = new BatchCommitter(settings, state, counts, this::fail, runId, snapshot,
                planner instanceof ChangePlanner local && local.fromImage());
        long streaming = System.nanoTime();
        if (cursor != null) {
            reportNullCursors(cursor, key);
        }
        try (RowCursor rows = snapshot != null
                ? snapshot.openDiff(settings.query(), routeFingerprint.seed(), deletes, wantsChanges(), settings.fetchSize(),
                        checkDuplicates, duplicateKeys)
                : RowCursor.open(warehouse, query, settings.fetchSize(), parameters)) {
            key.bind(rows.columns());
            if (snapshot != null) {
                destinationRow = rows.without(snapshot.diffColumns());
            }
            RowFingerprint fingerprints = routeFingerprint.forColumns(rows.columns());
            try (PlanningThread planning = new PlanningThread("rowcast-plan-" + settings.syncId(), 4,
                    chunk -> plan(chunk, key, fingerprints, planner, duplicateKeys, cursor), this::fail)) {
                List<Row> chunk = new ArrayList<>(settings.batchSize());
                Row row;
                while (fatal.get() == null && (row = rows.next()) != null) {
                    chunk.add(row);
                    if (chunk.size() == settings.batchSize()) {
                        planning.submit(chunk);
                        chunk = new ArrayList<>(settings.batchSize());
                    }
                }
                if (fatal.get() == null) {
                    planning.submit(chunk);
                }
            }
        }
        LOG.debug("Sync {} run {}: rows read and planned in {} ms", settings.syncId(), runId, millisSince(streaming));
        if (fatal.get() == null && planner.removed() >= 0) {
            add(RunCounter.REMOVED, planner.removed());
        }
        if (fatal.get() == null && planner instanceof ChangePlanner local && count(RunCounter.REMOVED) > 0
                && settings.mode().sends(Change.REMOVED, settings.removedRows())) {
            sendRemoved(local);
        }
    }

    /**
     * Whether the warehouse proves the model's key unique (a primary key or unique index behind it), which
     * makes the duplicate check pointless. Unproven (or unprovable in this warehouse) means check.
     */
    private boolean keyProvenUnique(PrimaryKey key) {
        // (asked before taking a connection: it takes one of its own, and holding one while waiting for another
        // from a pool whose other connections hold runs' diffs would wait out the pool's time-out)
        Optional<WarehouseDialect> dialect = WarehouseDialect.find(warehouse);
        try (Connection c = warehouse.getConnection()) {
            if (dialect.isPresent() && dialect.get().provesKeyUnique(c, settings.query(), key.declared())) {
                LOG.debug("Sync {} run {}: the warehouse proves {} unique; no duplicate check", settings.syncId(), runId,
                        key.declared());
                return true;
            }
        } catch (SQLException e) {
            LOG.debug("Sync {} run {}: could not ask the warehouse whether the key is unique ({}); checking", settings.syncId(),
                    runId, e.getMessage());
        }
        return false;
    }

    /**
     * Local engine: the delivered keys the model no longer returned go out as deletes, a batch at a time as
     * the state store streams them (a model emptied of 10 million rows must not mean 10 million keys in memory).
     */
    private void sendRemoved(ChangePlanner planner) throws InterruptedException {
        List<BatchItem> collected = new ArrayList<>();
        try {
            state.forEachDeliveredKey(settings.syncId(), (key, hash) -> {
                if (planner.removedKey(hash) && (adopt || !deadDelete(hash))) {
                    collected.add(new BatchItem(key, Map.of(), Change.REMOVED, 0));
                    if (collected.size() == settings.batchSize()) {
                        sendCollected(collected);
                    }
                }
            });
            if (!collected.isEmpty()) {
                sendCollected(collected);
            }
        } catch (Interrupted e) {
            throw e.cause;
        }
    }

    /**
     * Whether this removed row's delete ran out of attempts: then it is counted dead and not sent until retry-dead
     * revives it. (A row dead from refused changes that then leaves the model does get its delete.)
     */
    private synchronized boolean deadDelete(long keyHash) {
        if (deadDeletes == null) {
            deadDeletes = state.deadDeleteKeyHashes(settings.syncId());
        }
        if (!deadDeletes.contains(keyHash)) {
            return false;
        }
        add(RunCounter.DEAD, 1);
        return true;
    }

    /** Sends the removed rows collected so far as one batch, and starts collecting afresh. */
    private void sendCollected(List<BatchItem> collected) {
        List<BatchItem> removedRows = List.copyOf(collected);
        collected.clear();
        add(RunCounter.PLANNED_REMOVED, removedRows.size());
        try {
            send(++sequence, removedRows, all -> { });
        } catch (InterruptedException e) {
            throw new Interrupted(e);
        }
    }

    /** Carries an interruption out of a state-store visitor. */
    private static final class Interrupted extends RuntimeException {
        final InterruptedException cause;

        Interrupted(InterruptedException cause) {
            this.cause = cause;
        }
    }

    /** Classifies a chunk of rows and sends the ones the mode wants as one batch. */
    private void plan(List<Row> chunk, PrimaryKey key, RowFingerprint fingerprints, Planner planner,
                      Set<String> duplicateKeys, SyncCursor cursor) throws InterruptedException {
        add(RunCounter.ROWS_READ, chunk.size());
        List<String> keys = new ArrayList<>(chunk.size());
        boolean[] removed = new boolean[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            removed[i] = snapshot != null && WarehouseSnapshot.isRemoved(chunk.get(i));
            keys.add(removed[i] ? null : key.keyOf(chunk.get(i)));
        }
        planner.prepare(keys.stream().filter(java.util.Objects::nonNull).toList());
        List<BatchItem> batch = new ArrayList<>();
        List<Rejection> refused = new ArrayList<>();
        boolean settled = true;
        for (int i = 0; i < chunk.size(); i++) {
            Row row = chunk.get(i);
            String k = keys.get(i);
            if (removed[i]) {
                ((SnapshotPlanner) planner).removedRow();
                add(RunCounter.ROWS_READ, -1);
                String previous = snapshot.previousKey(row);
                if (settings.mode().sends(Change.REMOVED, settings.removedRows())
                        && (adopt || !deadDelete(RowFingerprint.keyHash(previous)))) {
                    add(RunCounter.PLANNED_REMOVED, 1);
                    batch.add(new BatchItem(previous, Map.of(), Change.REMOVED, 0));
                }
                continue;
            }
            if (k == null) {
                add(RunCounter.NULL_KEYS, 1);
                refused.add(new Rejection("(row " + (count(RunCounter.ROWS_READ) - chunk.size() + i + 1) + ")", null,
                        "NULL_PRIMARY_KEY", "primary key " + key.declared() + " is NULL; fix the model so every row has a key"));
                continue;
            }
            if (k.length() > StateStore.MAX_KEY_LENGTH) {
                refused.add(new Rejection(k, null, "KEY_TOO_LONG",
                        "primary key " + key.declared() + " is " + k.length() + " characters as text; the state store keeps up"
                        + " to " + StateStore.MAX_KEY_LENGTH + ": shorten it in the model (a hash of it, say)"));
                continue;
            }
            long fingerprint = snapshot != null
                    ? ((Number) row.get(WarehouseSnapshot.FINGERPRINT)).longValue() : fingerprints.of(row);
            // (usually there are none: skip hashing every key for an empty set)
            boolean duplicate = !duplicateKeys.isEmpty() && duplicateKeys.contains(k);
            Verdict verdict = duplicate ? Verdict.DUPLICATE : planner.classify(k, fingerprint, row);
            Change change = switch (verdict) {
                case DUPLICATE -> {
                    planner.returned(k);
                    add(RunCounter.DUPLICATES, 1);
                    refused.add(new Rejection(k, null, "DUPLICATE_PRIMARY_KEY", "the model returned more than one row"
                            + " with primary key " + k + "; none of them is sent until the key is unique"));
                    yield null;
                }
                case DEAD -> {
                    if (adopt) {
                        // a reset adopts dead rows too: the destination is taken as it is
                        yield planner.deadRowAdoptedAs(k, row);
                    }
                    add(RunCounter.DEAD, 1);
                    settled = false;
                    yield null;
                }
                case UNCHANGED -> {
                    if (settings.mode() == SyncMode.ALL) {
                        yield Change.CHANGED;   // sent again: counted as planned, not also as unchanged (skipped)
                    }
                    add(RunCounter.UNCHANGED, 1);
                    yield null;
                }
                case ADDED -> Change.ADDED;
                case CHANGED -> Change.CHANGED;
            };
            if (change == null || !(adopt || settings.mode().sends(change, settings.removedRows()))) {
                add(RunCounter.ROWS_SKIPPED, 1);
                continue;
            }
            add(RunCounter.planned(change), 1);
            if (snapshot != null && change == Change.CHANGED) {
                snapshot.planned(k, row);
            }
            batch.add(new BatchItem(k, destinationRow.apply(row), change, fingerprint));
        }
        if (!refused.isEmpty()) {
            add(RunCounter.REJECTED, refused.size());
            state.recordRefusals(settings.syncId(), runId, refused);
        }
        int seq = ++sequence;
        boolean chunkSettled = settled && refused.isEmpty();
        if (cursor != null) {
            cursor.read(seq, chunk, cursorColumn(chunk.get(0), cursor));
        }
        if (batch.isEmpty()) {
            if (cursor != null) {
                cursor.finished(seq, chunkSettled);
            }
            return;
        }
        send(seq, batch, accepted -> {
            if (cursor != null) {
                cursor.finished(seq, chunkSettled && accepted);
            }
        });
    }

    /** The cursor column's label as the query returned it (SQL folds case; the route may not). */
    private static String cursorColumn(Row row, SyncCursor cursor) {
        return row.keySet().stream().filter(c -> c.equalsIgnoreCase(cursor.column())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("cursor column '" + cursor.column()
                        + "' is not among the model query's columns " + row.keySet()));
    }

    /** Rows whose cursor is NULL can never be read incrementally: count and record them every run. */
    private void reportNullCursors(SyncCursor cursor, PrimaryKey key) throws SQLException {
        List<Rejection> nulls = new ArrayList<>();
        long total = 0;
        try (RowCursor rows = RowCursor.open(warehouse, cursor.nullCursorQuery(settings.query(), key.declared()), 1000)) {
            PrimaryKey bound = new PrimaryKey(String.join(",", key.declared()));
            bound.bind(rows.columns());
            Row row;
            while ((row = rows.next()) != null) {
                if (++total <= 1000) {
                    nulls.add(new Rejection(String.valueOf(bound.keyOf(row)), null, "NULL_CURSOR", "cursor column "
                            + cursor.column() + " is NULL, so cursor mode never reads this row; give it a value at or past"
                            + " the saved cursor (a value below it, beyond any lookback, is never read either)"));
                }
            }
        }
        if (total > 0) {
            LOG.warn("Sync {}: {} rows have a NULL cursor ({}) and are not synced", settings.syncId(), total, cursor.column());
            add(RunCounter.NULL_CURSORS, total);
            add(RunCounter.REJECTED, total);
            state.recordRefusals(settings.syncId(), runId, nulls);
        }
    }

    /** Sends a batch; {@code settled} learns whether every row of it was accepted. */
    private void send(int seq, List<BatchItem> items, java.util.function.Consumer<Boolean> settled) throws InterruptedException {
        inFlight.acquire();
        if (fatal.get() != null) {
            add(RunCounter.UNSENT, items.size());
            inFlight.release();
            return;
        }
        Batch batch = new Batch(settings.syncId(), runId, seq, items);
        try {
            dispatcher.dispatch(batch, error -> {
                try {
                    settled.accept(committer.complete(batch, error));
                } catch (RuntimeException e) {
                    // (thrown into the destination's callback, it would be logged and ignored: the run must fail)
                    LOG.error("Sync {} run {}: batch {} could not be settled", settings.syncId(), runId, seq, e);
                    fail("could not save the sync's progress after batch " + seq + ": " + e.getMessage());
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    /** Every batch has been committed: a good moment to refresh the state image the next run loads. */
    private void compactSavedRows() {
        try {
            if (state.savedRows().compactIfStale(settings.syncId(), runId)) {
                LOG.info("Sync {}: took a new image of its saved rows after run {}", settings.syncId(), runId);
            }
        } catch (RuntimeException e) {
            // only the next run's load time depends on it
            LOG.warn("Sync {}: could not refresh the image of its saved rows: {}", settings.syncId(), e.getMessage());
        }
    }

    private static Planner join(CompletableFuture<Planner> loading) throws InterruptedException {
        try {
            return loading.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static long millisSince(long nanos) { return (System.nanoTime() - nanos) / 1_000_000; }

    private void add(RunCounter counter, long n) { counts.add(counter, n); }

    private long count(RunCounter counter) { return counts.get(counter); }

    private void fail(String message) {
        fatal.compareAndSet(null, message == null ? "unknown error" : message);
    }
}
