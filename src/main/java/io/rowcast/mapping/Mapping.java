package io.rowcast.mapping;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A loaded mapping file: turns one warehouse row into one destination record. */
/** {@code source} is the file's text as loaded: part of every row fingerprint, so editing a mapping resends its rows. */
public record Mapping(Path file, String source, RecordKind kind, List<FieldMapping> fields, ZoneId zone) {

    public JsonNode map(Map<String, Object> row) {
        ObjectNode record = Json.NODES.objectNode();
        kind.fixedFields().forEach(record::put);
        for (FieldMapping field : fields) {
            put(record, field.path(), field.valueFor(row, zone));
        }
        return record;
    }

    private static void put(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode child = node.get(path.get(i));
            node = child instanceof ObjectNode o ? o : node.putObject(path.get(i));
        }
        node.set(path.get(path.size() - 1), value);
    }
}
