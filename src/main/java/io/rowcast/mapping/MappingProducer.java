package io.rowcast.mapping;

import java.util.List;

import io.rowcast.delivery.FatalDeliveryException;
import io.rowcast.sync.Batch;
import io.rowcast.sync.BatchItem;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Maps every unsettled row of the batch; a row that cannot be mapped is rejected and the others go on. */
public class MappingProducer extends DefaultProducer {

    public MappingProducer(MappingEndpoint endpoint) { super(endpoint); }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ((MappingEndpoint) getEndpoint()).mapping();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Mapping mapping = ((MappingEndpoint) getEndpoint()).mapping();
        Batch batch = exchange.getIn().getMandatoryBody(Batch.class);
        requireMappedColumns(mapping, batch);
        for (BatchItem item : batch.items()) {
            if (item.outcome() != null) {
                continue;
            }
            if (item.change() == io.rowcast.sync.Change.REMOVED) {
                if (mapping.kind().deletable()) {
                    item.mapped(mapping.deleteRecord(item.key()));
                } else {
                    item.reject("NOT_DELETABLE", "a " + mapping.kind().destination() + " " + mapping.kind().record()
                            + " cannot be deleted; this row left the model and stays in the destination");
                }
                continue;
            }
            try {
                item.mapped(mapping.map(item.row()));
            } catch (RowMappingException e) {
                item.reject("MAPPING_ERROR", mapping.file().getFileName() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // one row's surprise must not reject the rest of its batch
                item.reject("MAPPING_ERROR", mapping.file().getFileName() + ": row " + item.key() + " could not be mapped: " + e);
            }
        }
    }

    /**
     * The route's start checks the model's columns, but a model can lose one later (a view redefined), or the
     * warehouse was down at the start: every row would then map that field to NULL and go out. No row is to
     * blame, so the run stops (its rows stay pending) and says which columns are gone.
     */
    private static void requireMappedColumns(Mapping mapping, Batch batch) {
        batch.items().stream().filter(i -> i.change() != io.rowcast.sync.Change.REMOVED && i.row() != null).findFirst()
                .ifPresent(item -> {
                    List<String> missing = mapping.columns().stream()
                            .filter(c -> item.row().keySet().stream().noneMatch(c::equalsIgnoreCase)).sorted().toList();
                    if (!missing.isEmpty()) {
                        throw new FatalDeliveryException("mapping " + mapping.file().getFileName() + " reads column(s) "
                                + missing + " that the model does not return (any more); the model returns "
                                + item.row().keySet() + ". Fix the model or the mapping; no row was sent");
                    }
                });
    }
}
