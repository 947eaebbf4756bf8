package io.rowcast.clevertap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.rowcast.config.SandboxConfig;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.RunStatus;
import io.rowcast.testing.SyncTestSupport;
import org.junit.jupiter.api.Test;

/** How the clevertap: producer meets CleverTap's failure modes, against the sandbox emulator. */
class CleverTapDeliveryTest extends SyncTestSupport {

    @Test
    void a429ThenA500ThenSuccessDeliversTheBatchExactlyOnce() {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        insertOrder("T-2", "u-2", "6.00", "EUR", "Card", "[]", "2026-11-01 11:00:00");
        sandbox.failNext(429, Map.of());
        sandbox.failNext(500, Map.of());

        RunRecord run = runOrders();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(run.accepted()).isEqualTo(2);
        assertThat(sandbox.requests()).isEqualTo(3);
        assertThat(sandbox.accepted()).extracting(r -> r.path("evtData").path("txnId").asText()).containsExactlyInAnyOrder("T-1", "T-2");
    }

    @Test
    void retryAfterIsHonoured() {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        sandbox.failNext(429, Map.of("Retry-After", "1"));

        long started = System.nanoTime();
        RunRecord run = runOrders();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sandbox.accepted()).hasSize(1);
    }

    @Test
    void retriesThatRunOutLeaveTheRowsPendingWithTheReason() {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        for (int i = 0; i < 4; i++) {
            sandbox.failNext(503, Map.of());
        }

        RunRecord run = runOrders();

        assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(run.rejected()).isEqualTo(1);
        assertThat(state.rejectedRows(ORDERS_SYNC)).singleElement().satisfies(row -> {
            assertThat(row.code()).isEqualTo("HTTP_503");
            assertThat(row.error()).contains("after 4 attempts");
            assertThat(row.attempts()).as("CleverTap never answered for the row: no attempt of its own used").isZero();
        });
        assertThat(run.recordsSent()).as("no answer for it").isZero();
        assertThat(runOrders().accepted()).as("sent again on the next run").isEqualTo(1);
    }

    @Test
    void a401FailsTheRunWithAClearMessageAndMarksNothingDelivered() {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        insertOrder("T-2", "u-2", "6.00", "EUR", "Card", "[]", "2026-11-01 11:00:00");
        sandbox.failNext(401, Map.of());

        RunRecord run = runOrders();

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("HTTP 401")
                .contains("rowcast.destinations.clevertap.account-id, .passcode and .region")
                .doesNotContain(SandboxConfig.CLEVERTAP_PASSCODE);
        assertThat(run.accepted()).isZero();
        assertThat(run.unsent()).isEqualTo(2);
        assertThat(state.deliveredCount(ORDERS_SYNC)).isZero();
        assertThat(state.ledger().runs(ORDERS_SYNC, 1).get(0).status()).isEqualTo(RunStatus.FAILED);

        assertThat(runOrders().accepted()).as("everything goes once the credentials work").isEqualTo(2);
    }
}
