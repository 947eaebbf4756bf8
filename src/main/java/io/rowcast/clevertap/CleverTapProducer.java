package io.rowcast.clevertap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.delivery.FatalDeliveryException;
import io.rowcast.delivery.Outcome;
import io.rowcast.delivery.RetriesExhaustedException;
import io.rowcast.sync.Batch;
import io.rowcast.sync.Change;
import io.rowcast.sync.BatchItem;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Sends a batch's mapped records in upload requests of at most {@code batchSize}, and the rows that left
 * the model as profile deletes of at most 100, all in flight together (the account's sender caps
 * concurrency), and settles each row with CleverTap's verdict.
 */
public class CleverTapProducer extends DefaultAsyncProducer {

    public CleverTapProducer(CleverTapEndpoint endpoint) { super(endpoint); }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getEndpoint().connect();
    }

    @Override
    public CleverTapEndpoint getEndpoint() { return (CleverTapEndpoint) super.getEndpoint(); }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Batch batch = exchange.getIn().getBody(Batch.class);
        if (batch == null) {
            exchange.setException(new IllegalArgumentException("clevertap: expects the batch from a warehouse: source,"
                    + " mapped by a mapping: step; got " + exchange.getIn().getBody()));
            callback.done(true);
            return true;
        }
        List<BatchItem> items = batch.deliverable();
        if (items.isEmpty()) {
            callback.done(true);
            return true;
        }
        int size = getEndpoint().getConfiguration().getBatchSize();
        List<BatchItem> upserts = items.stream().filter(i -> i.change() != Change.REMOVED).toList();
        List<BatchItem> deletes = items.stream().filter(i -> i.change() == Change.REMOVED).toList();
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (List<BatchItem> chunk : chunks(upserts, size)) {
            List<JsonNode> records = chunk.stream().map(BatchItem::record).toList();
            requests.add(getEndpoint().client().upload(records).handle((outcomes, error) -> {
                settle(chunk, outcomes, error, exchange);
                return null;
            }));
        }
        for (List<BatchItem> chunk : chunks(deletes, CleverTapClient.MAX_DELETE)) {
            List<String> identities = chunk.stream().map(i -> i.record().path("identity").asText()).toList();
            requests.add(getEndpoint().client().delete(identities).handle((outcomes, error) -> {
                settle(chunk, outcomes, error, exchange);
                return null;
            }));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> callback.done(false));
        return false;
    }

    private static List<List<BatchItem>> chunks(List<BatchItem> items, int size) {
        List<List<BatchItem>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }

    private static void settle(List<BatchItem> chunk, List<Outcome> outcomes, Throwable error, Exchange exchange) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            for (int i = 0; i < chunk.size(); i++) {
                chunk.get(i).settle(outcomes.get(i));
            }
        } else if (cause instanceof RetriesExhaustedException e) {
            chunk.forEach(item -> item.unanswered(e.code(), e.getMessage()));
        } else if (cause instanceof FatalDeliveryException e) {
            exchange.setException(e);
        } else {
            chunk.forEach(item -> item.reject("ERROR", "CleverTap delivery failed: " + cause));
        }
    }
}
