package io.rowcast.state;

import java.sql.Statement;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Flyway V6: an index of each sync's dead rows, which the in-warehouse engine reads at the start of every
 * run and every run counts at its end. On PostgreSQL it is partial, so the many updates of delivered rows
 * never touch it; H2 has no partial indexes and gets a plain one.
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
            s.execute(postgres
                    ? "CREATE INDEX sync_row_dead ON sync_row (sync_id) WHERE status = 'dead'"
                    : "CREATE INDEX sync_row_dead ON sync_row (sync_id, status)");
        }
    }
}
