package io.rowcast.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one run of a sync did, as stored in {@code sync_run}, served over HTTP and printed by
 * {@code rowcast run --output json}. The counters appear in JSON as flat fields (rowsRead, plannedAdded, …).
 */
@JsonPropertyOrder({"runId", "syncId", "mode", "status", "startedAt", "finishedAt", "durationMs"})
public record RunRecord(long runId, String syncId, String mode, Instant startedAt, Instant finishedAt, RunStatus status,
                        @JsonIgnore Map<RunCounter, Long> counts, String error) {

    public RunRecord {
        counts = new EnumMap<>(counts.isEmpty() ? Map.of(RunCounter.ROWS_READ, 0L) : counts);
    }

    public long count(RunCounter counter) { return counts.getOrDefault(counter, 0L); }

    @com.fasterxml.jackson.annotation.JsonProperty("durationMs")
    public Long durationMs() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis();
    }

    @JsonAnyGetter
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (RunCounter c : RunCounter.values()) {
            out.put(c.jsonName(), count(c));
        }
        return out;
    }

    public long rowsRead() { return count(RunCounter.ROWS_READ); }
    public long rowsSkipped() { return count(RunCounter.ROWS_SKIPPED); }
    public long recordsSent() { return count(RunCounter.RECORDS_SENT); }
    public long accepted() { return count(RunCounter.ACCEPTED); }
    public long rejected() { return count(RunCounter.REJECTED); }
    public long unsent() { return count(RunCounter.UNSENT); }

    public String summary() {
        return "sync " + syncId + " run " + runId + " " + status.value() + " (" + mode + "): read " + rowsRead()
                + ", planned " + count(RunCounter.PLANNED_ADDED) + " added / " + count(RunCounter.PLANNED_CHANGED)
                + " changed / " + count(RunCounter.PLANNED_REMOVED) + " removed, unchanged " + count(RunCounter.UNCHANGED)
                + ", sent " + recordsSent() + ", accepted " + accepted() + ", rejected " + rejected()
                + ", dead " + count(RunCounter.DEAD) + ", unsent " + unsent()
                + (error == null ? "" : " — " + error);
    }
}
