package io.rowcast.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import io.rowcast.config.RowcastProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Creates and seeds the embedded DuckDB warehouse from the CSV files in {@code demo/} on first
 * start, so the demo has orders, customers and usage to sync. Does nothing for a configured warehouse.
 */
@Component
public class DemoWarehouse implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(DemoWarehouse.class);
    static final List<String> TABLES = List.of("customers", "orders", "usage");

    private final DataSource warehouse;
    private final RowcastProperties props;

    public DemoWarehouse(@Qualifier("warehouseDataSource") DataSource warehouse, RowcastProperties props) {
        this.warehouse = warehouse;
        this.props = props;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        if (props.getWarehouse().isEmbedded()) {
            seed(warehouse, props);
        }
    }

    /** Creates the demo tables and loads the CSV files, unless the orders table already exists. */
    public static void seed(DataSource warehouse, RowcastProperties props) throws SQLException, IOException {
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'orders'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Path csvDir = Files.createDirectories(Path.of(props.getDataDir(), "demo-csv").toAbsolutePath());
            c.setAutoCommit(false);
            for (String statement : resource("schema.sql").split(";")) {
                if (!statement.replaceAll("--.*", "").isBlank()) {
                    s.execute(statement);
                }
            }
            for (String table : TABLES) {
                Path csv = csvDir.resolve(table + ".csv");
                try (InputStream in = DemoWarehouse.class.getResourceAsStream("/demo/" + table + ".csv")) {
                    Files.copy(in, csv, StandardCopyOption.REPLACE_EXISTING);
                }
                s.execute("COPY " + table + " FROM '" + csv.toString().replace("'", "''") + "' (HEADER true)");
            }
            c.commit();
            LOG.info("Seeded the demo warehouse {} with {} from CSV", Path.of(props.getDataDir()).toAbsolutePath(), TABLES);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoWarehouse.class.getResourceAsStream("/demo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
