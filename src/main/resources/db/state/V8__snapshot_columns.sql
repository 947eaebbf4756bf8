-- The model's column names when a sync's warehouse snapshot took its fingerprints. The warehouse's own row
-- hash covers values, not names, so a renamed column (which a passthrough mapping sends under its new name)
-- is found by comparing these, and every row is then sent again as changed.
CREATE TABLE sync_snapshot_columns (
    sync_id       VARCHAR(200) PRIMARY KEY,
    column_names  VARCHAR NOT NULL,   -- unbounded: a model may have hundreds of columns
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
