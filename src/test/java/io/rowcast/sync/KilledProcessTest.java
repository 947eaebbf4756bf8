package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.rowcast.testing.SyncTestSupport;
import io.rowcast.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The crash guarantee with a real crash: a second process ({@code rowcast run}, a JVM of its own) is
 * killed with SIGKILL after two batches were accepted and committed while more were in flight. The
 * destination then answers the in-flight requests it had received. A restarted run delivers every row,
 * and sends again exactly the batches that were in flight.
 */
class KilledProcessTest extends SyncTestSupport {

    private static final int ORDERS = 5000;   // the route sends batches of 1000, 4 in flight

    @Test
    void aProcessKilledMidRunLosesNothingAndResendsOnlyItsInFlightBatches() throws Exception {
        warehouse.update("INSERT INTO orders SELECT 'T-' || g, 'u-' || g, 9.99, 'EUR', 'Card', '[]', TIMESTAMP '2026-11-01 10:00:00'"
                + " FROM generate_series(1, " + ORDERS + ") g");
        sandbox.holdAfter(2);

        Process child = startRun();
        try {
            await(Duration.ofSeconds(90), () -> state.deliveredCount(ORDERS_SYNC) == 2000 && sandbox.held() >= 1
                    || !child.isAlive());
            assertThat(child.isAlive()).as("the run is under way (see target/killed-run.log)").isTrue();
            Thread.sleep(500);   // the other in-flight batches arrive
        } finally {
            child.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no last commit
        }
        Thread.sleep(300);   // a request fully sent just before the kill is still dispatched
        int inFlight = sandbox.held();   // counted after the kill: no new request can arrive
        assertThat(inFlight).isBetween(1, 3);   // 5 batches, 2 answered
        assertThat(state.deliveredCount(ORDERS_SYNC)).as("only the answered batches were committed").isEqualTo(2000);
        sandbox.release();   // the destination processes what it had received
        await(Duration.ofSeconds(10), () -> sandbox.accepted().size() == 2000 + inFlight * 1000);

        // the killed process's lease (2 s here) runs out; until then the run is skipped
        RunRecord[] restart = new RunRecord[1];
        await(Duration.ofSeconds(15), () -> (restart[0] = trigger.run(ORDERS_SYNC).orElse(null)) != null);
        RunRecord restarted = restart[0];

        assertThat(restarted.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(restarted.count(RunCounter.ROWS_SKIPPED)).as("the committed batches are not sent again").isEqualTo(2000);
        List<String> sent = sandbox.accepted().stream().map(r -> r.path("evtData").path("txnId").asText()).toList();
        assertThat(sent.stream().distinct()).as("every order delivered").hasSize(ORDERS);
        assertThat(sent).as("sent twice: exactly the batches in flight at the kill").hasSize(ORDERS + inFlight * 1000);
        assertThat(state.deliveredCount(ORDERS_SYNC)).isEqualTo(ORDERS);
        RunRecord killed = state.ledger().runs(ORDERS_SYNC, 2).get(1);
        assertThat(killed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(killed.error()).contains("stopped before the run finished");
    }

    private Process startRun() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", "killed-run.log").toFile();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.rowcast.RowcastApplication",
                "run", ORDERS_SYNC, "--output", "json",
                "--rowcast.warehouse.url=" + TestPostgres.url("warehouse"), "--rowcast.warehouse.username=postgres",
                "--rowcast.warehouse.password=postgres", "--rowcast.state.url=" + TestPostgres.url("state"),
                "--rowcast.state.username=postgres", "--rowcast.state.password=postgres",
                "--rowcast.destinations.clevertap.base-url=http://127.0.0.1:" + port + "/sandbox/clevertap",
                "--rowcast.lease=2s", "--rowcast.sandbox.enabled=true")
                .redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited %s", timeout).isBefore(until);
            Thread.sleep(50);
        }
    }
}
