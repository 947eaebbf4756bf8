package io.rowcast.sync;

import io.rowcast.state.StateStore;
import io.rowcast.warehouse.Row;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

/**
 * The local change-detection engine: the sync's saved state held as primitive maps keyed by the
 * 64-bit hash of each primary key (16 bytes a delivered row), so a run classifies each streamed row
 * in one lookup. Keys of different rows sharing a 64-bit hash are possible in principle; at 10 million
 * keys the chance is about 3 in a million, and such a row would be taken for the other.
 */
final class ChangePlanner implements Planner {

    private static final long SEEN = Long.MIN_VALUE;
    private static final long NONE = 1L << 62;

    private Long2LongOpenHashMap delivered;
    private final LongOpenHashSet pending = new LongOpenHashSet();
    private final LongOpenHashSet dead = new LongOpenHashSet();

    /** Whether the saved rows came from the sync's state image, which this run's batches then extend. */
    private boolean fromImage;

    private ChangePlanner() { }

    static ChangePlanner load(StateStore state, String syncId) {
        ChangePlanner planner = new ChangePlanner();
        planner.fromImage = state.savedRows().load(syncId, planner::expect, planner::apply);
        return planner;
    }

    boolean fromImage() { return fromImage; }

    private void expect(long rows) {
        // sized once, so loading 10 million rows never rehashes (a rehash briefly holds both tables)
        delivered = new Long2LongOpenHashMap((int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, rows)), 0.9f);
        delivered.defaultReturnValue(NONE);
    }

    /** One saved row; a later visit of the same key (changed since the state image) replaces the earlier. */
    private void apply(long keyHash, String status, Long fingerprint) {
        if (fingerprint != null) {
            delivered.put(keyHash, fingerprint & RowFingerprint.MASK);
        } else {
            delivered.remove(keyHash);
        }
        if (!pending.isEmpty()) {
            pending.remove(keyHash);
        }
        if (!dead.isEmpty()) {
            dead.remove(keyHash);
        }
        switch (status) {
            case "dead" -> dead.add(keyHash);
            case "rejected" -> pending.add(keyHash);
            default -> { }
        }
    }

    @Override
    public Verdict classify(String key, long fingerprint) {
        long h = RowFingerprint.keyHash(key);
        long saved = delivered.get(h);
        if (saved == NONE) {
            // never delivered; duplicates among new keys are found before the stream (SyncRun)
            return dead.contains(h) ? Verdict.DEAD : Verdict.ADDED;
        }
        if ((saved & SEEN) != 0) {
            return Verdict.DUPLICATE;
        }
        delivered.put(h, saved | SEEN);
        if (dead.contains(h)) {
            return Verdict.DEAD;
        }
        if (pending.contains(h)) {
            return Verdict.CHANGED;
        }
        return saved == fingerprint ? Verdict.UNCHANGED : Verdict.CHANGED;
    }

    @Override
    public Change deadRowAdoptedAs(String key, Row row) {
        return delivered.get(RowFingerprint.keyHash(key)) != NONE ? Change.CHANGED : Change.ADDED;
    }

    @Override
    public void returned(String key) {
        long h = RowFingerprint.keyHash(key);
        long saved = delivered.get(h);
        if (saved != NONE) {
            delivered.put(h, saved | SEEN);
        }
    }

    /** A key that was delivered and that this run's model did not return. */
    boolean removedKey(long keyHash) {
        long saved = delivered.get(keyHash);
        return saved != NONE && (saved & SEEN) == 0;
    }

    @Override
    public long removed() {
        return delivered.values().longStream().filter(v -> (v & SEEN) == 0).count();
    }
}
