package io.rowcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.mapping.Json;
import io.rowcast.testing.SyncTestSupport;
import io.rowcast.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code rowcast run <route-id>} in batch mode: exit codes 0, 1 and 2 and the JSON run record.
 * The class extends the application test support only to borrow its running sandbox as a CleverTap that refuses credentials.
 */
class RunCommandTest extends SyncTestSupport {

    record Result(int exitCode, List<String> lines) {
        String text() { return String.join("\n", lines); }
        JsonNode json() { return Json.parse(lines.get(lines.size() - 1)); }
    }

    @Test
    void theEmbeddedDuckDbDemoRunsAndExitsZeroThenSendsNothingTheSecondTime() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-duckdb");
        long orders = Files.readAllLines(Path.of("src/main/resources/demo/orders.csv")).size() - 1;

        Result first = run("run", "orders-to-clevertap", "--output", "json", "--rowcast.data-dir=" + dataDir);

        assertThat(first.exitCode()).isZero();
        JsonNode record = first.json();
        assertThat(record.path("status").asText()).isEqualTo("success");
        assertThat(record.path("rowsRead").asLong()).isEqualTo(orders);
        assertThat(record.path("accepted").asLong()).isEqualTo(orders);
        assertThat(record.path("rejected").asLong()).isZero();
        assertThat(record.path("mode").asText()).isEqualTo("insert");
        assertThat(record.path("plannedAdded").asLong()).isEqualTo(orders);
        assertThat(record.has("durationMs")).isTrue();
        assertThat(Files.exists(dataDir.resolve("warehouse.duckdb"))).isTrue();

        Result second = run("run", "orders-to-clevertap", "--output", "json", "--rowcast.data-dir=" + dataDir);

        assertThat(second.exitCode()).isZero();
        assertThat(second.json().path("recordsSent").asLong()).isZero();
        assertThat(second.json().path("rowsSkipped").asLong()).isEqualTo(orders);
    }

    @Test
    void rejectedRowsExitOne() {
        String url = TestPostgres.url("cli_partial");
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(url, "postgres", "postgres"));
        db.execute("DROP TABLE IF EXISTS orders");
        db.execute("CREATE TABLE orders (transaction_id TEXT PRIMARY KEY, user_id TEXT, amount NUMERIC(12,2), currency TEXT,"
                + " payment_method TEXT, items TEXT, ordered_at TIMESTAMP)");
        db.update("INSERT INTO orders VALUES ('T-1', 'u-1', 3.00, 'EUR', 'Card', '[]', '2026-11-01 10:00:00'),"
                + " ('T-2', NULL, 4.00, 'EUR', 'Card', '[]', '2026-11-01 10:00:00')");

        Result result = run("run", "orders-to-clevertap", "--output", "json",
                "--rowcast.warehouse.url=" + url, "--rowcast.warehouse.username=postgres", "--rowcast.warehouse.password=postgres",
                "--rowcast.state.url=" + TestPostgres.url("cli_partial_state"),
                "--rowcast.state.username=postgres", "--rowcast.state.password=postgres", "--rowcast.sandbox.enabled=true");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.json().path("status").asText()).isEqualTo("partial");
        assertThat(result.json().path("accepted").asLong()).isEqualTo(1);
        assertThat(result.json().path("rejected").asLong()).isEqualTo(1);
    }

    @Test
    void refusedCredentialsExitTwoWithoutEchoingThePasscode() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-401");

        Result result = run("run", "orders-to-clevertap", "--output", "json", "--rowcast.data-dir=" + dataDir,
                "--rowcast.destinations.clevertap.account-id=WRONG-ACCOUNT",
                "--rowcast.destinations.clevertap.passcode=very-secret-passcode",
                "--rowcast.destinations.clevertap.base-url=http://127.0.0.1:" + port + "/sandbox/clevertap");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.json().path("status").asText()).isEqualTo("failed");
        assertThat(result.json().path("error").asText()).contains("HTTP 401").contains(".passcode and .region");
        assertThat(String.join("\n", result.lines())).doesNotContain("very-secret-passcode");
        assertThat(result.json().path("accepted").asLong()).isZero();
    }

    @Test
    void aSecondApplicationSharingTheStateStoreSkipsASyncThatIsRunning() throws Exception {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        sandbox.failNext(429, java.util.Map.of("Retry-After", "10"));   // holds the first run while the second application starts
        java.util.concurrent.CompletableFuture<?> slowRun = java.util.concurrent.CompletableFuture.runAsync(this::runOrders);
        Thread.sleep(1000);

        Result other = run("run", "orders-to-clevertap", "--output", "json",
                "--rowcast.warehouse.url=" + TestPostgres.url("warehouse"), "--rowcast.warehouse.username=postgres",
                "--rowcast.warehouse.password=postgres", "--rowcast.state.url=" + TestPostgres.url("state"),
                "--rowcast.state.username=postgres", "--rowcast.state.password=postgres",
                "--rowcast.destinations.clevertap.base-url=http://127.0.0.1:" + port + "/sandbox/clevertap",
                "--rowcast.sandbox.enabled=true");
        slowRun.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(other.json().path("error").asText()).contains("already in progress");
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(sandbox.accepted()).as("delivered once, by the first application").hasSize(1);
    }

    @Test
    void anUnknownRouteExitsTwoAndNamesTheRoutes() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-unknown");

        Result result = run("run", "no-such-sync", "--output", "json", "--rowcast.data-dir=" + dataDir);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.json().path("error").asText()).contains("no route 'no-such-sync'").contains("orders-to-clevertap");
    }

    @Test
    void aSettingTheUserGivesReplacesTheCommandsOwn() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-override");

        Result result = run("run", "no-such-sync", "--output", "json", "--rowcast.data-dir=" + dataDir,
                "--logging.level.io.rowcast=DEBUG", "--server.port=0");

        assertThat(result.json().path("error").asText()).as("the settings bound; the route is what is missing")
                .contains("no route 'no-such-sync'");
    }

    @Test
    void batchModeNeverStartsTheSchedules() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "cli-quartz");
        try (var context = CliContext.start(List.of("--rowcast.data-dir=" + dataDir))) {
            org.apache.camel.component.quartz.QuartzComponent quartz = context.getBean(org.apache.camel.CamelContext.class)
                    .getComponent("quartz", org.apache.camel.component.quartz.QuartzComponent.class);
            // a cron that fires while a command runs would start a second run beside it (seen at a quarter past)
            assertThat(quartz.getScheduler() == null || !quartz.getScheduler().isStarted()).isTrue();
        }
    }

    static Result run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            exit = RowcastCli.execute(args);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        original.print(output);
        List<String> lines = new ArrayList<>(output.lines().filter(l -> !l.isBlank()).toList());
        return new Result(exit, lines);
    }
}
