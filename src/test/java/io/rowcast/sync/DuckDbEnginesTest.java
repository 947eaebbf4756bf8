package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.config.DataSourcesConfig;
import io.rowcast.config.RowcastProperties;

/** The engine contract on DuckDB, the demo's embedded warehouse. */
class DuckDbEnginesTest extends EngineContractTest {
    @Override
    HikariDataSource warehouse(Path dir) {
        RowcastProperties props = new RowcastProperties();
        props.setDataDir(dir.toString());
        return new DataSourcesConfig().warehouseDataSource(props);
    }

    @Override
    void createMoodType() {
        sql.execute("DROP TYPE IF EXISTS mood");
        sql.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
    }

    /**
     * A DuckDB warehouse with a PostgreSQL state store: the snapshot keeps where the ledger keeps each row, and
     * the ledger rows are updated there (without sync_row's key index only updates in place can commit).
     */
    @org.junit.jupiter.api.Test
    void theSnapshotKeepsWhereAPostgresLedgerKeepsEachRow() {
        withPostgresLedger("duck_engines_state", ledgerSql -> {
            sql.update("INSERT INTO people VALUES (1, 'eu', 'Ada', 1.50), (2, 'eu', 'Grace', 2.00)");
            SyncSettings upsert = settings("people", "SELECT id, region, name, score FROM people", "id, region", SyncMode.UPSERT, true);
            run(upsert);
            assertThat(snapshotLedgerPositions()).hasSize(2).isEqualTo(ledgerPositions(ledgerSql));
            sql.update("UPDATE people SET score = score + 1");
            ledgerSql.execute("ALTER TABLE sync_row DROP CONSTRAINT sync_row_pkey");
            try {
                assertThat(sent(run(upsert))).hasSize(2);
            } finally {
                ledgerSql.execute("ALTER TABLE sync_row ADD PRIMARY KEY (sync_id, row_key)");
            }
            assertThat(snapshotLedgerPositions()).isEqualTo(ledgerPositions(ledgerSql));
            assertThat(sent(run(upsert))).isEmpty();
        });
    }

    @Override
    String binaryType() {
        return "BLOB";
    }
}
