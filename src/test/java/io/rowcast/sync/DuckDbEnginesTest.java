package io.rowcast.sync;

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

    @Override
    String binaryType() {
        return "BLOB";
    }

    @Override
    String createTwinKeys() {
        sql.execute("DROP TABLE IF EXISTS twins");
        sql.execute("CREATE TABLE twins (sku VARCHAR COLLATE NOCASE, label VARCHAR)");
        sql.update("INSERT INTO twins VALUES ('seven', 'seven'), ('bob', 'one'), ('Bob', 'one again')");
        return "seven";
    }
}
