-- The 64-bit xxh3 hash of row_key, so a run loads a sync's saved state without reading or hashing every key text.
ALTER TABLE sync_row ADD COLUMN key_hash BIGINT;
