-- Which change detection a run used: local (fingerprints in sync_row), warehouse (a snapshot table in the
-- warehouse) or cursor. The warehouse engine refills its snapshot from sync_row when a run of another
-- engine came in between, since that run changed sync_row and not the snapshot.
ALTER TABLE sync_run ADD COLUMN engine VARCHAR(10);
