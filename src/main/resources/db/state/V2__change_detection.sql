-- Change detection: a fingerprint per delivered row, the operation of its latest attempt, dead rows,
-- per-operation run counts, and a lease so one sync never runs twice at once across processes.

-- fingerprint: 62-bit xxh3 of the row's selected columns (and the route's mapping files) as last delivered.
ALTER TABLE sync_row ADD COLUMN fingerprint BIGINT;
-- added, changed or removed: what the latest attempt did.
ALTER TABLE sync_row ADD COLUMN operation VARCHAR(10);
ALTER TABLE sync_row ADD COLUMN last_sent_at TIMESTAMP WITH TIME ZONE;
-- status now takes: delivered, rejected (pending, retried every run), dead (attempts exhausted).

ALTER TABLE sync_run ADD COLUMN mode VARCHAR(10);
ALTER TABLE sync_run ADD COLUMN planned_added BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN planned_changed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN planned_removed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN succeeded_added BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN succeeded_changed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN succeeded_removed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN failed_added BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN failed_changed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN failed_removed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN unchanged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN removed BIGINT NOT NULL DEFAULT 0;     -- rows gone from the model (sent as deletes only when configured)
ALTER TABLE sync_run ADD COLUMN dead BIGINT NOT NULL DEFAULT 0;        -- rows skipped because their attempts are exhausted
ALTER TABLE sync_run ADD COLUMN newly_dead BIGINT NOT NULL DEFAULT 0;  -- rows this run marked dead
ALTER TABLE sync_run ADD COLUMN duplicates BIGINT NOT NULL DEFAULT 0;  -- rows rejected for a duplicate primary key
ALTER TABLE sync_run ADD COLUMN null_keys BIGINT NOT NULL DEFAULT 0;   -- rows rejected for a NULL primary key
ALTER TABLE sync_run ADD COLUMN duration_ms BIGINT;

CREATE TABLE sync_lock (
    sync_id      VARCHAR(200) PRIMARY KEY,
    owner        VARCHAR(200) NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
