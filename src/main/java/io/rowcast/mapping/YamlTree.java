package io.rowcast.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document as JSON (for the JSON Schema) that remembers where each value and key stood in the
 * file, so every problem can name its line and column. Locations are keyed by path segments.
 */
final class YamlTree {

    private final JsonNode json;
    private final Map<List<String>, Mark> values = new HashMap<>();
    private final Map<List<String>, Mark> keys = new HashMap<>();
    private final List<Repeated> repeated = new java.util.ArrayList<>();

    /** A key given twice in one mapping: YAML keeps the last silently, which drops what the first said. */
    record Repeated(String key, Mark first, Mark again) { }

    YamlTree(Node root) {
        this.json = convert(root, List.of());
    }

    JsonNode json() { return json; }

    /** The keys given twice in one mapping, in file order. */
    List<Repeated> repeated() { return repeated; }

    /** Where the value at {@code path} starts; the nearest enclosing value when it is missing. */
    Mark valueAt(List<String> path) {
        for (List<String> p = path; ; p = p.subList(0, p.size() - 1)) {
            Mark m = values.get(p);
            if (m != null || p.isEmpty()) {
                return m;
            }
        }
    }

    /** Where the key of the entry at {@code path} stands, else its value. */
    Mark keyAt(List<String> path) {
        Mark m = keys.get(path);
        return m != null ? m : valueAt(path);
    }

    private JsonNode convert(Node node, List<String> path) {
        values.put(path, node.getStartMark());
        if (node instanceof MappingNode map) {
            ObjectNode object = Json.NODES.objectNode();
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
                List<String> child = append(path, key);
                if (object.has(key)) {
                    repeated.add(new Repeated(key, keys.get(child), t.getKeyNode().getStartMark()));
                }
                keys.put(child, t.getKeyNode().getStartMark());
                object.set(key, convert(t.getValueNode(), child));
            }
            return object;
        }
        if (node instanceof SequenceNode seq) {
            ArrayNode array = Json.NODES.arrayNode();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), append(path, String.valueOf(i))));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    /**
     * YAML's implicit types: true, 12, 12.50 and null stay what they look like; 12.50 keeps its scale. YAML 1.1
     * (SnakeYAML's) also takes yes and on for true, and no and off for false. A number it reads in another base
     * (01234 as octal, 0x1F, 1:30 as sexagesimal) stays the text written: a ZIP code keeps its leading zero.
     */
    private static JsonNode scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            return Json.NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return Json.NODES.booleanNode(List.of("true", "yes", "on").contains(v.toLowerCase(java.util.Locale.ROOT)));
        }
        if (Tag.INT.equals(tag) && !v.replace("_", "").matches("[-+]?(0|[1-9][0-9]*)")) {
            return Json.NODES.textNode(v);
        }
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            try {
                return Json.NODES.numberNode(new java.math.BigDecimal(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return Json.NODES.textNode(v);
            }
        }
        return Json.NODES.textNode(v);
    }

    private static List<String> append(List<String> path, String segment) {
        String[] next = path.toArray(new String[path.size() + 1]);
        next[path.size()] = segment;
        return List.of(next);
    }
}
