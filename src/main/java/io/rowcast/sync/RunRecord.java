package io.rowcast.sync;

import java.time.Instant;

/** What one run of a sync did, as stored in {@code sync_run} and printed by {@code rowcast run --output json}. */
public record RunRecord(
        long runId,
        String syncId,
        Instant startedAt,
        Instant finishedAt,
        RunStatus status,
        long rowsRead,
        long rowsSkipped,
        long recordsSent,
        long accepted,
        long rejected,
        long unsent,
        String error) {

    public String summary() {
        return "sync " + syncId + " run " + runId + " " + status.value()
                + ": read " + rowsRead + ", skipped " + rowsSkipped + " already delivered, sent " + recordsSent
                + ", accepted " + accepted + ", rejected " + rejected + ", unsent " + unsent
                + (error == null ? "" : " (" + error + ")");
    }
}
