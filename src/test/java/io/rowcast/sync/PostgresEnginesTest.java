package io.rowcast.sync;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.config.DataSourcesConfig;
import io.rowcast.config.RowcastProperties;
import io.rowcast.testing.TestPostgres;

/** The engine contract on PostgreSQL. */
class PostgresEnginesTest extends EngineContractTest {
    @Override
    HikariDataSource warehouse(Path dir) {
        RowcastProperties props = new RowcastProperties();
        props.setDataDir(dir.toString());
        props.getWarehouse().setUrl(TestPostgres.url("engines"));
        props.getWarehouse().setUsername("postgres");
        props.getWarehouse().setPassword("postgres");
        return new DataSourcesConfig().warehouseDataSource(props);
    }
}
