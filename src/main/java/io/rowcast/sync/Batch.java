package io.rowcast.sync;

import java.util.List;

/**
 * The body that flows through a sync route: up to {@code batchSize} rows of one run.
 * Its {@code toString} names no row data, so error logs never print warehouse contents.
 */
public final class Batch {

    private final String syncId;
    private final long runId;
    private final int sequence;
    private final List<BatchItem> items;

    public Batch(String syncId, long runId, int sequence, List<BatchItem> items) {
        this.syncId = syncId;
        this.runId = runId;
        this.sequence = sequence;
        this.items = List.copyOf(items);
    }

    public String syncId() { return syncId; }
    public long runId() { return runId; }
    public int sequence() { return sequence; }
    public List<BatchItem> items() { return items; }

    public List<BatchItem> deliverable() {
        return items.stream().filter(BatchItem::deliverable).toList();
    }

    @Override
    public String toString() {
        return "Batch[sync=" + syncId + ", run=" + runId + ", #" + sequence + ", " + items.size() + " rows]";
    }
}
