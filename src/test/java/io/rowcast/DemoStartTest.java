package io.rowcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.rowcast.clevertap.sandbox.CleverTapSandbox;
import io.rowcast.state.StateStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo as `./mvnw spring-boot:run` starts it: DuckDB seeded from CSV, every sync run once at start into the sandbox. */
class DemoStartTest {

    @Test
    void theDemoSeedsTheWarehouseAndRunsEverySyncOnceAtStart() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "demo");
        long orders = Files.readAllLines(Path.of("src/main/resources/demo/orders.csv")).size() - 1;
        long customers = Files.readAllLines(Path.of("src/main/resources/demo/customers.csv")).size() - 1;
        long usage = Files.readAllLines(Path.of("src/main/resources/demo/usage.csv")).size() - 1;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RowcastApplication.class)
                .run("--camel.main.name=demo-start", "--server.port=0", "--rowcast.data-dir=" + data)) {
            CleverTapSandbox sandbox = app.getBean(CleverTapSandbox.class);
            StateStore state = app.getBean(StateStore.class);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            // the sandbox answers before each run records its end: wait for both
            while ((sandbox.accepted().size() < orders + customers + usage || !finished(state)) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }

            assertThat(sandbox.accepted()).hasSize((int) (orders + customers + usage));
            assertThat(state.ledger().runs("orders-to-clevertap", 10)).singleElement()
                    .satisfies(r -> assertThat(r.accepted()).isEqualTo(orders));
            assertThat(state.deliveredCount("customers-to-clevertap")).isEqualTo(customers);
            assertThat(state.cursors().cursor("usage-to-clevertap")).isPresent();
        }
    }

    private static boolean finished(StateStore state) {
        return java.util.stream.Stream.of("orders-to-clevertap", "customers-to-clevertap", "usage-to-clevertap")
                .allMatch(sync -> state.ledger().runs(sync, 1).stream().anyMatch(r -> r.finishedAt() != null));
    }
}
