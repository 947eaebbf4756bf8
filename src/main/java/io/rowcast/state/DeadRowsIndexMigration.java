package io.rowcast.state;

import java.sql.Statement;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Flyway V6, in Java because it differs by database. An index of each sync's dead rows, which the
 * in-warehouse engine reads at the start of every run and every run counts at its end. On PostgreSQL the
 * index is partial and {@code sync_row} pages keep a fifth free, so re-delivering a row (no indexed column
 * changes) is a HOT update: no new index entry, the cheapest write PostgreSQL has. H2 has neither.
 */
final class DeadRowsIndexMigration implements JavaMigration {

    @Override
    public MigrationVersion getVersion() { return MigrationVersion.fromVersion("6"); }

    @Override
    public String getDescription() { return "dead rows index"; }

    @Override
    public Integer getChecksum() { return 6; }

    @Override
    public boolean canExecuteInTransaction() { return true; }

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgres = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        try (Statement s = context.getConnection().createStatement()) {
            if (postgres) {
                s.execute("CREATE INDEX sync_row_dead ON sync_row (sync_id) WHERE status = 'dead'");
                s.execute("ALTER TABLE sync_row SET (fillfactor = 80)");
            } else {
                s.execute("CREATE INDEX sync_row_dead ON sync_row (sync_id, status)");
            }
        }
    }
}
