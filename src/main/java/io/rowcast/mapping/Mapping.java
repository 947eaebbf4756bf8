package io.rowcast.mapping;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A loaded mapping file: turns one warehouse row into one destination record. {@code source} is the file's
 * text as loaded: part of every row fingerprint, so editing a mapping resends its rows.
 */
public record Mapping(Path file, String source, RecordKind kind, List<FieldMapping> fields, Passthrough passthrough,
                      ZoneId zone) {

    /** Columns the fields read with from: the ones passthrough leaves alone, and the ones that must exist. */
    public Set<String> columns() {
        return Set.copyOf(fields.stream().map(FieldMapping::column).filter(java.util.Objects::nonNull).toList());
    }

    /**
     * The columns the templates seem to read ({@code row.name}, {@code row['name']}): found in the template's
     * text, so a guess (a loop variable named row, a comment); a missing one renders empty, which a template may
     * mean ({@code row.nickname | default: row.name}), so validate only warns of it.
     */
    public Set<String> templateColumns() {
        return Set.copyOf(fields.stream().flatMap(f -> f.templateColumns().stream()).toList());
    }

    public JsonNode map(Map<String, Object> row) {
        ObjectNode record = Json.NODES.objectNode();
        kind.fixedFields().forEach(record::put);
        Map<String, Object> templateContext = usesTemplates() ? Map.of("row", templateRow(row)) : null;
        for (FieldMapping field : fields) {
            JsonNode value = field.valueFor(row, templateContext, zone);
            if (value != null) {
                put(record, field.path(), value);
            }
        }
        if (passthrough != null) {
            // (compared as SQL compares names: a mapped firstName is PostgreSQL's firstname)
            Set<String> used = columns().stream().map(c -> c.toLowerCase(java.util.Locale.ROOT))
                    .collect(java.util.stream.Collectors.toSet());
            for (Map.Entry<String, Object> column : row.entrySet()) {
                if (!used.contains(column.getKey().toLowerCase(java.util.Locale.ROOT)) && passthrough.copies(column.getKey())) {
                    put(record, List.of(passthrough.into(), column.getKey()), passed(column.getKey(), column.getValue(), zone));
                }
            }
        }
        if (kind.requiredObject() != null && !record.has(kind.requiredObject())) {
            record.putObject(kind.requiredObject());
        }
        return record;
    }

    /**
     * The record for a row that left the model: its primary key as the identity, which is why a mirror
     * sync must key its model by the destination identity.
     */
    public JsonNode deleteRecord(String key) {
        ObjectNode record = Json.NODES.objectNode();
        kind.fixedFields().forEach(record::put);
        record.put("identity", key);
        return record;
    }

    private static JsonNode passed(String column, Object value, java.time.ZoneId zone) {
        try {
            return FieldType.natural(value, zone);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new RowMappingException("column " + column + " (copied by passthrough): " + e.getMessage());
        }
    }

    private boolean usesTemplates() {
        return fields.stream().anyMatch(f -> f.template() != null);
    }

    /**
     * The row as Liquid sees it under {@code row.}: numbers and text as they are, times as ISO-8601 text. A name a
     * template reads that the row lacks as written also finds the one column it names as SQL compares names
     * (row.firstName is PostgreSQL's firstname), as from: does; two columns differing only in case stay apart.
     */
    private Map<String, Object> templateRow(Map<String, Object> row) {
        Map<String, Object> out = new java.util.HashMap<>(row.size() * 2);
        row.forEach((k, v) -> out.put(k, v instanceof Temporal ? v.toString() : v));
        for (String name : templateColumns()) {
            if (!out.containsKey(name)) {
                List<String> alike = row.keySet().stream().filter(name::equalsIgnoreCase).toList();
                if (alike.size() == 1) {
                    out.put(name, out.get(alike.get(0)));
                }
            }
        }
        return out;
    }

    /** Sets {@code value} at {@code path}; a segment {@code name[i]} is element i of the array {@code name}. */
    private static void put(ObjectNode root, List<String> path, JsonNode value) {
        com.fasterxml.jackson.databind.node.ContainerNode<?> node = root;
        for (int i = 0; i < path.size(); i++) {
            boolean last = i == path.size() - 1;
            String segment = path.get(i);
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            ObjectNode parent = (ObjectNode) node;
            if (bracket < 0) {
                if (last) {
                    parent.set(name, value);
                    return;
                }
                JsonNode child = parent.get(name);
                node = child instanceof ObjectNode o ? o : parent.putObject(name);
                continue;
            }
            int index = Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1));
            JsonNode existing = parent.get(name);
            com.fasterxml.jackson.databind.node.ArrayNode array = existing instanceof com.fasterxml.jackson.databind.node.ArrayNode a
                    ? a : parent.putArray(name);
            while (array.size() <= index) {
                array.addNull();
            }
            if (last) {
                array.set(index, value);
                return;
            }
            JsonNode element = array.get(index);
            if (!(element instanceof ObjectNode)) {
                element = Json.NODES.objectNode();
                array.set(index, element);
            }
            node = (ObjectNode) element;
        }
    }
}
