-- The local engine's saved state in compact form, so a run reads a few large values instead of millions of
-- sync_row rows. Each part holds (key hash, fingerprint, status) entries, 17 bytes each:
--   parts 0, 1, 2, ...   the base: every sync_row of the sync as of run as_of_run, 65,536 entries a part;
--   parts from 2^24 on   one per committed batch since: (run_id << 24) + the batch's number, written in the
--                        batch's transaction, so base + parts always equal sync_row.
-- A run reads them in part order (a later entry for a key replaces an earlier one). The base is retaken from
-- sync_row when the batch parts reach a tenth of it, and dropped by anything that changes sync_row outside a
-- run (resync, retry-dead); without a base a run reads sync_row itself.
CREATE TABLE sync_row_image (
    sync_id      VARCHAR(200) NOT NULL,
    part         BIGINT NOT NULL,
    as_of_run    BIGINT NOT NULL,
    entries      INT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (sync_id, part)
);
