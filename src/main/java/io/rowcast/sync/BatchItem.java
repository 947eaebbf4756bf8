package io.rowcast.sync;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.delivery.Outcome;

/**
 * One warehouse row on its way through a route: its primary key, its columns, the record the
 * mapping made of it, and finally the outcome the mapping or destination reported.
 */
public final class BatchItem {

    private final String key;
    private final Map<String, Object> row;
    private final Change change;
    private final long fingerprint;
    private JsonNode record;
    private volatile Outcome outcome;

    public BatchItem(String key, Map<String, Object> row, Change change, long fingerprint) {
        this.key = key;
        this.row = row;
        this.change = change;
        this.fingerprint = fingerprint;
    }

    /** Added, changed or removed: destinations that distinguish (deletes) read this. */
    public Change change() { return change; }
    public long fingerprint() { return fingerprint; }

    public String key() { return key; }
    public Map<String, Object> row() { return row; }
    public JsonNode record() { return record; }
    public Outcome outcome() { return outcome; }

    public void mapped(JsonNode record) { this.record = record; }

    public void settle(Outcome outcome) { this.outcome = outcome; }

    public void reject(String code, String reason) { settle(Outcome.rejected(code, reason)); }

    /** The destination gave no answer for it (see {@link Outcome#unanswered}). */
    public void unanswered(String code, String reason) { settle(Outcome.unanswered(code, reason)); }

    /** Mapped and not yet settled: what a destination should send. */
    public boolean deliverable() { return record != null && outcome == null; }

    @Override public String toString() { return "BatchItem[" + key + "]"; }
}
