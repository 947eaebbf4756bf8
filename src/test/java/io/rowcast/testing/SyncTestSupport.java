package io.rowcast.testing;

import javax.sql.DataSource;

import io.rowcast.clevertap.sandbox.CleverTapSandbox;
import io.rowcast.state.StateStore;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.SyncTrigger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application against a real PostgreSQL (as warehouse and as state store) and the CleverTap
 * sandbox as emulator. Routes come from the repository's routes/ folder. Every test class that extends
 * this shares one Spring context; each test starts from empty tables and an empty sandbox.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rowcast.run-on-start=false",
        "rowcast.sandbox.enabled=true",   // a real warehouse without credentials uses no sandbox unless told to
        // scheduled as in production, on a cron that does not fire during the tests
        "rowcast.syncs.orders-to-clevertap.cron=0 0 0 1 1 ? 2099",
        "rowcast.syncs.customers-to-clevertap.cron=0 0 0 1 1 ? 2099",
        "rowcast.syncs.usage-to-clevertap.cron=0 0 0 1 1 ? 2099",
        "rowcast.destinations.clevertap.initial-backoff=20ms",
        "rowcast.destinations.clevertap.max-backoff=100ms",
        "rowcast.destinations.clevertap.max-attempts=4",
        "logging.level.io.rowcast.delivery=ERROR"})
public abstract class SyncTestSupport {

    public static final String ORDERS_SYNC = "orders-to-clevertap";

    /** The tables the repository's routes read; they exist before the routes start, as in production. */
    static final String[] MODEL_TABLES = {
        "CREATE TABLE IF NOT EXISTS orders (transaction_id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64), amount NUMERIC(12, 2),"
                + " currency VARCHAR(3), payment_method VARCHAR(64), items TEXT, ordered_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS customers (user_id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, country TEXT,"
                + " plan TEXT, created_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS usage (event_id TEXT, customer_id TEXT, event_type TEXT, quantity BIGINT, occurred_at TIMESTAMP)"};

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(TestPostgres.url("warehouse"), "postgres", "postgres");
             java.sql.Statement s = c.createStatement()) {
            for (String ddl : MODEL_TABLES) {
                s.execute(ddl);
            }
        }
        registry.add("rowcast.warehouse.url", () -> TestPostgres.url("warehouse"));
        registry.add("rowcast.state.url", () -> TestPostgres.url("state"));
        registry.add("rowcast.data-dir", () -> "target/test-data");
    }

    @Autowired protected org.apache.camel.CamelContext camel;
    @Autowired protected SyncTrigger trigger;
    @Autowired protected CleverTapSandbox sandbox;
    @Autowired protected StateStore state;
    @Autowired @Qualifier("warehouseDataSource") protected DataSource warehouseDataSource;
    @Autowired @Qualifier("stateDataSource") protected DataSource stateDataSource;
    @LocalServerPort protected int port;

    protected JdbcTemplate warehouse;

    @BeforeEach
    void cleanSlate() {
        warehouse = new JdbcTemplate(warehouseDataSource);
        for (String ddl : MODEL_TABLES) {
            warehouse.execute(ddl);
        }
        warehouse.execute("TRUNCATE orders");
        JdbcTemplate stateDb = new JdbcTemplate(stateDataSource);
        stateDb.execute("TRUNCATE sync_row, sync_row_rejection, sync_run, sync_cursor, sync_lock, sync_row_image");
        sandbox.reset();
    }

    protected void insertOrder(String txn, String user, String amount, String currency, String method, String items, String orderedAt) {
        warehouse.update("INSERT INTO orders VALUES (?, ?, CAST(? AS NUMERIC), ?, ?, ?, CAST(? AS TIMESTAMP))",
                txn, user, amount, currency, method, items, orderedAt);
    }

    protected RunRecord runOrders() {
        return run(ORDERS_SYNC);
    }

    /**
     * Starts a CleverTap sync that the repository's routes/ do not have (once per Spring context): {@code id}
     * reads the warehouse with {@code parameters} (YAML lines such as {@code "mode: upsert"}; blank ones are
     * skipped), maps with {@code mapping} and sends to clevertap:upload, only when a test runs it.
     */
    protected void startSync(String id, String mapping, String... parameters) throws Exception {
        if (camel.getRoute(id) != null) {
            return;
        }
        StringBuilder yaml = new StringBuilder("- route:\n    id: " + id + "\n    from:\n      uri: warehouse:" + id
                + "\n      parameters:\n");
        for (String parameter : parameters) {
            if (!parameter.isBlank()) {
                yaml.append("        ").append(parameter).append('\n');
            }
        }
        yaml.append("        runOnStart: false\n        startScheduler: false\n      steps:\n        - to: mapping:")
                .append(mapping).append("\n        - to: clevertap:upload\n");
        org.apache.camel.support.PluginHelper.getRoutesLoader(camel)
                .loadRoutes(org.apache.camel.support.ResourceHelper.fromString(id + ".yaml", yaml.toString()));
        camel.getRouteController().startRoute(id);
    }

    /** Runs a sync now; fails the test if another run holds its lease. */
    protected RunRecord run(String routeId) {
        return trigger.run(routeId).orElseThrow();
    }
}
