-- The model's column names when a sync's warehouse snapshot took its fingerprints. The warehouse's own row
-- hash covers values, not names, so a renamed column (which a passthrough mapping sends under its new name)
-- is found by comparing these, and every row is then sent again as changed, from run since_run_id on: a
-- snapshot refilled from sync_row marks rows last sent before it to be sent again.
CREATE TABLE sync_snapshot_columns (
    sync_id       VARCHAR(200) PRIMARY KEY,
    column_names  VARCHAR NOT NULL,   -- unbounded: a model may have hundreds of columns
    since_run_id  BIGINT NOT NULL DEFAULT 0,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
