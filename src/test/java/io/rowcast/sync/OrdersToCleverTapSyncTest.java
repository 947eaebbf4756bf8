package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.mapping.Json;
import io.rowcast.state.StateStore.RowState;
import io.rowcast.testing.SyncTestSupport;
import org.junit.jupiter.api.Test;

/** routes/orders-to-clevertap.yaml end to end: PostgreSQL orders in, CleverTap Charged events out. */
class OrdersToCleverTapSyncTest extends SyncTestSupport {


    @Test
    void theRouteComesFromTheRoutesFolder() {
        assertThat(camel.getRoute(ORDERS_SYNC)).isNotNull();
        assertThat(camel.getRoute(ORDERS_SYNC).getSourceLocation()).contains("routes/orders-to-clevertap.yaml");
        assertThat(camel.getRoute(ORDERS_SYNC).getEndpoint().getEndpointUri()).startsWith("warehouse://orders-to-clevertap");
    }

    @Test
    void rowsBecomeExactlyTheExpectedChargedEvents() {
        insertOrder("T-1", "u-1", "12.50", "EUR", "Credit Card",
                "[{\"name\":\"Pen\",\"price\":2.10,\"quantity\":5},{\"name\":\"Ink\",\"price\":2.00,\"quantity\":1}]",
                "2026-11-01 10:00:00");
        insertOrder("T-2", "u-2", "1000.00", "USD", "PayPal", "[]", "2026-11-02 23:59:59");

        RunRecord run = runOrders();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(run.rowsRead()).isEqualTo(2);
        assertThat(run.accepted()).isEqualTo(2);
        assertThat(sandbox.accepted()).extracting(Json::write).containsExactlyInAnyOrder(
                "{\"type\":\"event\",\"identity\":\"u-1\",\"ts\":1793527200,\"evtName\":\"Charged\",\"evtData\":{"
                        + "\"txnId\":\"T-1\",\"Amount\":12.50,\"Currency\":\"EUR\",\"Items\":[{\"name\":\"Pen\",\"price\":2.10,"
                        + "\"quantity\":5},{\"name\":\"Ink\",\"price\":2.00,\"quantity\":1}],\"payment_method\":\"Credit Card\"}}",
                "{\"type\":\"event\",\"identity\":\"u-2\",\"ts\":1793663999,\"evtName\":\"Charged\",\"evtData\":{"
                        + "\"txnId\":\"T-2\",\"Amount\":1000.00,\"Currency\":\"USD\",\"Items\":[],\"payment_method\":\"PayPal\"}}");
        assertThat(sandbox.requests()).isEqualTo(1);
    }

    @Test
    void aSecondRunSendsNothing() {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        insertOrder("T-2", "u-2", "6.00", "EUR", "Card", "[]", "2026-11-01 11:00:00");
        runOrders();
        int requestsAfterFirst = sandbox.requests();

        RunRecord second = runOrders();

        assertThat(second.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(second.rowsRead()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(2);
        assertThat(second.recordsSent()).isZero();
        assertThat(sandbox.requests()).isEqualTo(requestsAfterFirst);
        assertThat(sandbox.accepted()).hasSize(2);
    }

    @Test
    void aRowCleverTapRejectsIsRecordedAndSentAgainNextRun() {
        insertOrder("T-ok", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        insertOrder("T-no-user", null, "7.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");

        RunRecord first = runOrders();

        assertThat(first.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(first.accepted()).isEqualTo(1);
        assertThat(first.rejected()).isEqualTo(1);
        List<RowState> rejected = state.rejectedRows(ORDERS_SYNC);
        assertThat(rejected).singleElement().satisfies(row -> {
            assertThat(row.key()).isEqualTo("T-no-user");
            assertThat(row.code()).isEqualTo("523");
            assertThat(row.error()).isEqualTo("Missing identity");
            assertThat(row.attempts()).isEqualTo(1);
        });

        RunRecord second = runOrders();
        assertThat(second.recordsSent()).as("only the rejected row goes again").isEqualTo(1);
        assertThat(second.rejected()).isEqualTo(1);
        assertThat(state.rejectedRows(ORDERS_SYNC).get(0).attempts()).isEqualTo(2);

        warehouse.update("UPDATE orders SET user_id = 'u-9' WHERE transaction_id = 'T-no-user'");
        RunRecord third = runOrders();
        assertThat(third.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(third.accepted()).isEqualTo(1);
        assertThat(state.rejectedRows(ORDERS_SYNC)).isEmpty();
        assertThat(sandbox.accepted()).extracting(r -> r.path("evtData").path("txnId").asText())
                .containsExactlyInAnyOrder("T-ok", "T-no-user");
    }

    @Test
    void rowsGoOutInBatchesOfAtMostOneThousand() {
        warehouse.update("""
                INSERT INTO orders
                SELECT 'T-' || g, 'u-' || (g % 97), 10.25, 'EUR', 'Card', '[]', TIMESTAMP '2026-11-01 00:00:00' + g * INTERVAL '1 second'
                FROM generate_series(1, 2500) g""");

        RunRecord run = runOrders();

        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(run.accepted()).isEqualTo(2500);
        assertThat(sandbox.requests()).isEqualTo(3);
        assertThat(sandbox.accepted()).hasSize(2500);
        assertThat(sandbox.accepted().stream().map(r -> r.path("evtData").path("txnId").asText()).distinct()).hasSize(2500);
        assertThat(state.deliveredCount(ORDERS_SYNC)).isEqualTo(2500);
    }

    @Test
    void aNullPrimaryKeyIsRejectedNotSent() {
        warehouse.execute("ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_pkey");
        warehouse.execute("ALTER TABLE orders ALTER COLUMN transaction_id DROP NOT NULL");
        try {
            insertOrder(null, "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
            insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");

            RunRecord run = runOrders();

            assertThat(run.status()).isEqualTo(RunStatus.PARTIAL);
            assertThat(run.rejected()).isEqualTo(1);
            assertThat(sandbox.accepted()).extracting(JsonNode::toString).hasSize(1);
            Integer recorded = new org.springframework.jdbc.core.JdbcTemplate(stateDataSource).queryForObject(
                    "SELECT COUNT(*) FROM sync_row_rejection WHERE code = 'NULL_PRIMARY_KEY'", Integer.class);
            assertThat(recorded).isEqualTo(1);
        } finally {
            warehouse.execute("DROP TABLE orders");
        }
    }

    @Test
    void everyRunIsRecorded() {
        insertOrder("T-1", "u-1", "5.00", "EUR", "Card", "[]", "2026-11-01 10:00:00");
        runOrders();
        runOrders();

        List<RunRecord> runs = state.ledger().runs(ORDERS_SYNC, 10);

        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).accepted()).isEqualTo(1);
        assertThat(runs.get(0).rowsSkipped()).isEqualTo(1);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.finishedAt()).isAfterOrEqualTo(r.startedAt());
            assertThat(r.status()).isEqualTo(RunStatus.SUCCESS);
        });
    }
}
