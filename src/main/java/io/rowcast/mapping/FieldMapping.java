package io.rowcast.mapping;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import liqp.Template;

/**
 * One target field: its source (a column, a static value or a Liquid template parsed once at load), the
 * type it is written as, and what to do with NULL: a default, reject the row (required), or leave the
 * field out (drop-nulls). {@code path} is the dotted target path split into its segments.
 */
public record FieldMapping(String target, List<String> path, String column, JsonNode staticValue, Template template,
                           List<String> templateColumns, FieldType type, JsonNode defaultValue, boolean required, boolean dropNulls) {

    /** The field's value for a row; null when it is NULL and drop-nulls is set. */
    public JsonNode valueFor(Map<String, Object> row, Map<String, Object> templateContext, ZoneId zone) {
        Object raw = column != null ? row.get(column) : template != null ? render(templateContext) : null;
        JsonNode value;
        if (raw == null && column == null && template == null) {
            value = staticValue;
        } else {
            try {
                value = type == null ? FieldType.natural(raw, zone) : type.convert(raw, zone);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new RowMappingException((column != null ? "column " + column : "template") + " for " + target + ": "
                        + e.getMessage() + (type == null ? "" : " (expected " + type.typeName() + ")"));
            }
        }
        if (value.isNull() && defaultValue != null) {
            value = defaultValue;
        }
        if (value.isNull() && required) {
            throw new RowMappingException(target + " is required but " + (column != null ? "column " + column + " is"
                    : "the template gave") + " NULL; give the row a value or set a default");
        }
        return value.isNull() && dropNulls ? null : value;
    }

    /** Template output; an empty result counts as NULL, so defaults and required apply to it too. */
    private String render(Map<String, Object> context) {
        try {
            String out = template.render(context);
            return out == null || out.isEmpty() ? null : out;
        } catch (RuntimeException e) {
            throw new RowMappingException("template for " + target + " failed: " + e.getMessage());
        }
    }
}
