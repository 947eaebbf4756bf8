package io.rowcast.sync;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowcast.delivery.Previewable;
import io.rowcast.delivery.Previewable.PreviewedRequest;
import io.rowcast.mapping.Mapping;
import io.rowcast.mapping.MappingEndpoint;
import io.rowcast.mapping.RowMappingException;
import io.rowcast.warehouse.Row;
import io.rowcast.warehouse.RowCursor;

/**
 * {@code rowcast preview}: the first N rows of a sync's model, mapped and turned into the exact requests
 * the destination would get, plus the rows that would be rejected and why. Nothing is sent and no state
 * is read or written, so it shows rows as they are, whether or not they changed since the last run.
 */
public final class SyncPreview {

    public record Result(int rows, List<PreviewedRequest> requests, Map<String, String> rejected) { }

    private SyncPreview() { }

    static Result of(SyncSettings settings, List<org.apache.camel.Endpoint> steps, DataSource warehouse, int limit)
            throws SQLException {
        Mapping mapping = steps.stream().filter(MappingEndpoint.class::isInstance).map(e -> ((MappingEndpoint) e).mapping())
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the route has no mapping: step"));
        Previewable destination = steps.stream().filter(Previewable.class::isInstance).map(Previewable.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the route's destination cannot preview"));
        PrimaryKey key = new PrimaryKey(settings.primaryKey());
        List<JsonNode> records = new ArrayList<>();
        List<String> recordKeys = new ArrayList<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        int rows = 0;
        try (RowCursor cursor = RowCursor.open(warehouse, "SELECT * FROM (" + settings.query() + ") rowcast_model",
                Math.max(1, Math.min(limit, 1000)))) {
            key.bind(cursor.columns());
            Row row;
            while (rows < limit && (row = cursor.next()) != null) {
                rows++;
                String k = key.keyOf(row);
                if (k == null) {
                    rejected.put("(row " + rows + ")", "NULL_PRIMARY_KEY: primary key " + key.declared() + " is NULL");
                    continue;
                }
                try {
                    records.add(mapping.map(row));
                    recordKeys.add(k);
                } catch (RowMappingException e) {
                    rejected.put(k, "MAPPING_ERROR: " + mapping.file().getFileName() + ": " + e.getMessage());
                }
            }
        }
        List<PreviewedRequest> requests = destination.preview(records);
        for (PreviewedRequest request : requests) {
            request.refusals().forEach((index, why) -> rejected.put(recordKeys.get(index), why));
        }
        return new Result(rows, requests, rejected);
    }
}
