-- Cursor mode: where an incremental sync continues. Every row with a cursor value below cursor_value was accepted.
CREATE TABLE sync_cursor (
    sync_id       VARCHAR(200) PRIMARY KEY,
    cursor_value  VARCHAR(200) NOT NULL,
    cursor_type   VARCHAR(20) NOT NULL,     -- timestamp, timestamptz, number, text
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

ALTER TABLE sync_run ADD COLUMN null_cursors BIGINT NOT NULL DEFAULT 0;   -- rows cursor mode cannot read (NULL cursor)
