package io.rowcast.testing;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.config.DataSourcesConfig;
import io.rowcast.config.RowcastProperties;

/** The two state stores tests run against: the embedded H2 file database of the default set-up, and PostgreSQL. */
public final class TestStateStores {

    private TestStateStores() { }

    /**
     * @param store    {@code h2} or {@code postgres}
     * @param dir      the data directory of the H2 file
     * @param database the PostgreSQL database, one per test class
     */
    public static HikariDataSource dataSource(String store, Path dir, String database) {
        if (store.equals("postgres")) {
            HikariDataSource ds = new HikariDataSource();
            ds.setJdbcUrl(TestPostgres.url(database));
            ds.setUsername("postgres");
            ds.setPassword("postgres");
            return ds;
        }
        RowcastProperties props = new RowcastProperties();
        props.setDataDir(dir.toString());
        return (HikariDataSource) new DataSourcesConfig().stateDataSource(props);
    }
}
