package io.rowcast.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a mapping file strictly. Every problem is reported with the file, line and column and
 * what to change; a file with any problem does not load.
 */
public final class MappingLoader {

    private static final Set<String> TOP_KEYS = Set.of("destination", "record", "zone", "fields");
    private static final Set<String> FIELD_KEYS = Set.of("from", "value", "type");

    private MappingLoader() { }

    public static Mapping load(Path file) {
        Node root;
        String source;
        try {
            source = Files.readString(file);
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(source));
        } catch (MarkedYAMLException e) {
            throw new MappingException(List.of(at(file, e.getProblemMark(), "not valid YAML: " + e.getProblem())));
        } catch (IOException e) {
            throw new MappingException(List.of(file + ": cannot read the mapping file: " + e.getMessage()));
        }
        Problems problems = new Problems(file);
        if (!(root instanceof MappingNode top)) {
            problems.add(root, "a mapping file is a YAML object with destination, record and fields");
            throw problems.exception();
        }
        Map<String, NodeTuple> entries = entries(top, TOP_KEYS, problems);
        String destination = scalar(entries, "destination", problems, top);
        String record = scalar(entries, "record", problems, top);
        RecordKind kind = null;
        if (destination != null && record != null) {
            kind = RecordKind.find(destination, record);
            if (kind == null) {
                problems.add(entries.get("record").getValueNode(), "unknown record kind '" + destination + " "
                        + record + "'; known kinds: " + RecordKind.known());
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        if (entries.containsKey("zone")) {
            Node zoneNode = entries.get("zone").getValueNode();
            try {
                zone = ZoneId.of(text(zoneNode));
            } catch (DateTimeException e) {
                problems.add(zoneNode, "unknown time zone '" + text(zoneNode) + "'; use an IANA name such as UTC or Europe/Paris");
            }
        }
        List<FieldMapping> fields = new ArrayList<>();
        NodeTuple fieldsEntry = entries.get("fields");
        if (fieldsEntry == null) {
            problems.add(top, "missing 'fields': list the record's fields, for example 'identity: user_id'");
        } else if (!(fieldsEntry.getValueNode() instanceof MappingNode fieldNodes)) {
            problems.add(fieldsEntry.getValueNode(), "'fields' must be an object of target path to source");
        } else {
            for (NodeTuple t : fieldNodes.getValue()) {
                FieldMapping f = field(t, kind, problems);
                if (f != null) {
                    fields.add(f);
                }
            }
            if (kind != null) {
                for (String required : kind.requiredFields()) {
                    boolean mapped = fields.stream().anyMatch(f -> f.path().get(0).equals(required));
                    if (!mapped) {
                        problems.add(fieldsEntry.getKeyNode(), "required field '" + required + "' of a " + kind.destination()
                                + " " + kind.record() + " is not mapped; add '" + required + ": <column>' under fields");
                    }
                }
            }
        }
        problems.throwIfAny();
        return new Mapping(file, source, kind, List.copyOf(fields), zone);
    }

    private static FieldMapping field(NodeTuple tuple, RecordKind kind, Problems problems) {
        String target = text(tuple.getKeyNode());
        List<String> path = Arrays.asList(target.split("\\.", -1));
        if (path.stream().anyMatch(String::isBlank)) {
            problems.add(tuple.getKeyNode(), "target path '" + target + "' has an empty segment");
            return null;
        }
        if (kind != null && !kind.topLevelFields().contains(path.get(0))) {
            problems.add(tuple.getKeyNode(), "'" + path.get(0) + "' is not a field of a " + kind.destination() + " "
                    + kind.record() + "; use one of " + String.join(", ", new java.util.TreeSet<>(kind.topLevelFields())));
            return null;
        }
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode s) {
            return new FieldMapping(target, path, s.getValue(), null, null);
        }
        if (!(value instanceof MappingNode spec)) {
            problems.add(value, "field '" + target + "' must be a column name or an object with 'from' or 'value'");
            return null;
        }
        Map<String, NodeTuple> keys = entries(spec, FIELD_KEYS, problems);
        FieldType type = null;
        if (keys.containsKey("type")) {
            try {
                type = FieldType.of(text(keys.get("type").getValueNode()));
            } catch (IllegalArgumentException e) {
                problems.add(keys.get("type").getValueNode(), e.getMessage());
            }
        }
        boolean hasFrom = keys.containsKey("from");
        boolean hasValue = keys.containsKey("value");
        if (hasFrom == hasValue) {
            problems.add(spec, "field '" + target + "' needs exactly one of 'from' (a column) or 'value' (a static value)");
            return null;
        }
        if (hasFrom) {
            return new FieldMapping(target, path, text(keys.get("from").getValueNode()), null, type);
        }
        JsonNode staticValue = Json.NODES.textNode(text(keys.get("value").getValueNode()));
        if (type != null) {
            try {
                staticValue = type.convert(text(keys.get("value").getValueNode()), ZoneId.of("UTC"));
            } catch (IllegalArgumentException e) {
                problems.add(keys.get("value").getValueNode(), "value for '" + target + "': " + e.getMessage());
            }
        }
        return new FieldMapping(target, path, null, staticValue, type);
    }

    private static Map<String, NodeTuple> entries(MappingNode node, Set<String> allowed, Problems problems) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = text(t.getKeyNode());
            if (!allowed.contains(key)) {
                problems.add(t.getKeyNode(), "unknown key '" + key + "'; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
            } else {
                entries.put(key, t);
            }
        }
        return entries;
    }

    private static String scalar(Map<String, NodeTuple> entries, String key, Problems problems, Node parent) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            problems.add(parent, "missing '" + key + "'");
            return null;
        }
        if (!(t.getValueNode() instanceof ScalarNode s)) {
            problems.add(t.getValueNode(), "'" + key + "' must be a single value");
            return null;
        }
        return s.getValue();
    }

    private static String text(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : String.valueOf(node);
    }

    private static String at(Path file, Mark mark, String message) {
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": " + message;
    }

    /** Collects every problem of one file so the user can fix them all in one go. */
    private static final class Problems {
        private final Path file;
        private final List<String> messages = new ArrayList<>();

        Problems(Path file) { this.file = file; }

        void add(Node node, String message) {
            messages.add(node == null ? file + ": " + message : at(file, node.getStartMark(), message));
        }

        MappingException exception() { return new MappingException(messages); }

        void throwIfAny() {
            if (!messages.isEmpty()) {
                throw exception();
            }
        }
    }
}
