package io.rowcast.config;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The two databases Rowcast talks to: the warehouse it reads and the state store it writes.
 * Both default to embedded files under {@code rowcast.data-dir}: DuckDB and H2.
 */
@Configuration
@EnableConfigurationProperties(RowcastProperties.class)
public class DataSourcesConfig {

    @Bean(name = "warehouseDataSource", destroyMethod = "close")
    public HikariDataSource warehouseDataSource(RowcastProperties props) {
        RowcastProperties.Database db = props.getWarehouse();
        String url = db.isEmbedded() ? "jdbc:duckdb:" + dataFile(props, "warehouse.duckdb") : db.getUrl();
        HikariConfig config = pool("rowcast-warehouse", "rowcast.warehouse.url", url, db);
        if (url.startsWith("jdbc:duckdb:")) {
            // DuckDB materialises a whole result unless asked to stream it.
            config.addDataSourceProperty("jdbc_stream_results", "true");
        }
        return new HikariDataSource(config);
    }

    @Primary
    @Bean(name = "stateDataSource", destroyMethod = "close")
    public HikariDataSource stateDataSource(RowcastProperties props) {
        RowcastProperties.Database db = props.getState();
        String url = db.isEmbedded()
                ? "jdbc:h2:file:" + dataFile(props, "state") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                : db.getUrl();
        return new HikariDataSource(pool("rowcast-state", "rowcast.state.url", url, db));
    }

    private static HikariConfig pool(String name, String setting, String url, RowcastProperties.Database db) {
        // asked here, not by the pool: its error quotes the URL, and a URL may carry a password (user:pass@)
        try {
            java.sql.DriverManager.getDriver(url);
        } catch (java.sql.SQLException e) {
            throw new IllegalArgumentException("No JDBC driver accepts " + setting + " (" + redacted(url) + "); Rowcast has"
                    + " drivers for PostgreSQL (jdbc:postgresql://...), DuckDB (jdbc:duckdb:...) and H2 (jdbc:h2:...)."
                    + " Put credentials in the .username and .password settings, not in the URL");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(db.getUsername());
        config.setPassword(db.getPassword());
        config.setMaximumPoolSize(8);
        if (url.startsWith("jdbc:postgresql:")) {
            // batched inserts and upserts go as multi-row statements: several times faster
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        config.setMinimumIdle(0);
        // Fail at first use, not at start: one unreachable database must not stop the others.
        config.setInitializationFailTimeout(-1);
        return config;
    }

    /** A JDBC URL fit for a message: no password, token or secret, nor the password of a user:password@host. */
    static String redacted(String url) {
        // up to the last @: a password may hold '/', '?' or '@' (a URL the driver then refuses, so quoted here)
        return url.replaceAll("(//[^/:@?]*):.*@", "$1:****@")
                .replaceAll("(?i)((?:password|pwd|secret|[a-z_]*token)=)[^&;]*", "$1****");
    }

    private static String dataFile(RowcastProperties props, String name) {
        Path dir = Path.of(props.getDataDir()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the data folder " + dir + " (rowcast.data-dir): " + e.getMessage(), e);
        }
        return dir.resolve(name).toString();
    }

    static boolean isDuckDb(DataSource ds) {
        return ds instanceof HikariDataSource h && h.getJdbcUrl().startsWith("jdbc:duckdb:");
    }
}
