package io.rowcast.mapping;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One target field: where its value comes from (a column or a static value) and the type it is written as.
 * {@code path} is the dotted target path split into its segments.
 */
public record FieldMapping(String target, List<String> path, String column, JsonNode staticValue, FieldType type) {

    public JsonNode valueFor(Map<String, Object> row, ZoneId zone) {
        if (column == null) {
            return staticValue;
        }
        Object raw = row.get(column);
        try {
            return type == null ? FieldType.natural(raw, zone) : type.convert(raw, zone);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new RowMappingException("column " + column + " for " + target + ": " + e.getMessage()
                    + (type == null ? "" : " (expected " + type.typeName() + ")"));
        }
    }
}
