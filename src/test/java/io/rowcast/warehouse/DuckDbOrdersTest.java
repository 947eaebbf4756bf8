package io.rowcast.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.config.DataSourcesConfig;
import io.rowcast.config.RowcastProperties;
import io.rowcast.demo.DemoWarehouse;
import io.rowcast.mapping.Json;
import io.rowcast.mapping.Mapping;
import io.rowcast.mapping.MappingLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo path: the DuckDB warehouse seeded from the CSV files streams rows that map to exact Charged events. */
class DuckDbOrdersTest {

    @TempDir Path dataDir;

    @Test
    void aSeededDuckDbOrderMapsToTheExactChargedEvent() throws Exception {
        RowcastProperties props = new RowcastProperties();
        props.setDataDir(dataDir.toString());
        try (HikariDataSource duckdb = new DataSourcesConfig().warehouseDataSource(props)) {
            DemoWarehouse.seed(duckdb, props);
            Mapping mapping = MappingLoader.load(Path.of("mappings/clevertap-charged.yaml"));
            try (RowCursor rows = RowCursor.open(duckdb,
                    "SELECT transaction_id, user_id, amount, currency, payment_method, items, ordered_at FROM orders"
                            + " WHERE transaction_id = 'T-20003'", 100)) {
                Map<String, Object> row = rows.next();
                assertThat(Json.write(mapping.map(row))).isEqualTo(
                        "{\"type\":\"event\",\"identity\":\"u-1004\",\"ts\":1793678340,\"evtName\":\"Charged\",\"evtData\":{"
                                + "\"txnId\":\"T-20003\",\"Amount\":107.60,\"Currency\":\"EUR\",\"Items\":["
                                + "{\"name\":\"Backpack\",\"category\":\"travel\",\"price\":64.20,\"quantity\":1},"
                                + "{\"name\":\"Notebook\",\"category\":\"stationery\",\"price\":4.50,\"quantity\":3},"
                                + "{\"name\":\"Fountain pen\",\"category\":\"stationery\",\"price\":29.90,\"quantity\":1}],"
                                + "\"payment_method\":\"Credit Card\"}}");
                assertThat(rows.next()).isNull();
            }
        }
    }
}
