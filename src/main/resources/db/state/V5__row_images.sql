-- The local engine's saved state in compact form: each sync's rows as (key hash, fingerprint, status) entries,
-- 17 bytes each, in parts of up to 65,536. A run reads the parts plus the sync_row rows changed since the image
-- was taken (last_run_id > as_of_run) instead of reading every sync_row: seconds saved per 10 million rows.
-- The image is rewritten when the rows changed since it pass a tenth of it, and dropped by anything that changes
-- sync_row outside a run (resync, retry-dead).
CREATE TABLE sync_row_image (
    sync_id      VARCHAR(200) NOT NULL,
    part         INT NOT NULL,
    as_of_run    BIGINT NOT NULL,
    entries      INT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (sync_id, part)
);

-- The rows changed since an image, without scanning the sync's rows.
CREATE INDEX sync_row_by_run ON sync_row (sync_id, last_run_id);
-- V6 (DeadRowsIndexMigration, Java: it differs by database) indexes each sync's dead rows.
