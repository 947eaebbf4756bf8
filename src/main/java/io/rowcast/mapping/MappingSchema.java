package io.rowcast.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The published JSON Schema for mapping files ({@code mappings/mapping.schema.json}, packaged with the
 * jar), applied with networknt's validator. Its messages are reworded here to say what to do; the rules
 * themselves live only in the schema.
 */
final class MappingSchema {

    private static final JsonSchema SCHEMA = load();

    /** One schema violation: where (path segments) and what. */
    record Violation(List<String> path, boolean atKey, String message) { }

    private MappingSchema() { }

    static List<Violation> validate(JsonNode document) {
        Set<ValidationMessage> messages = SCHEMA.validate(document);
        List<Violation> violations = new ArrayList<>();
        // "one of these keys" rules (anyOf of required): one message naming all the choices
        java.util.Map<List<String>, List<String>> choices = new java.util.LinkedHashMap<>();
        for (ValidationMessage m : messages) {
            String evaluation = m.getEvaluationPath().toString();
            if (m.getType().equals("required") && evaluation.contains("anyOf")) {
                choices.computeIfAbsent(segments(m.getInstanceLocation()), k -> new ArrayList<>()).add(m.getProperty());
                continue;
            }
            if (m.getType().equals("required") && evaluation.contains("oneOf")) {
                continue;   // the oneOf message itself says what to do
            }
            Violation v = explain(m);
            if (v != null && violations.stream().noneMatch(o -> o.equals(v))) {
                violations.add(v);
            }
        }
        choices.forEach((path, names) -> violations.add(new Violation(path, true,
                "map " + (names.size() == 1 ? "'" + names.get(0) + "'" : "one of " + String.join(", ", names))
                        + ": add it under fields, for example '" + names.get(0) + ": <column>'")));
        violations.sort(Comparator.comparing(v -> String.join("/", v.path())));
        return violations;
    }

    private static Violation explain(ValidationMessage m) {
        List<String> path = segments(m.getInstanceLocation());
        String where = path.isEmpty() ? "the file" : "'" + path.get(path.size() - 1) + "'";
        String property = m.getProperty();
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        String target = fieldName(path);
        return switch (m.getType()) {
            case "additionalProperties" -> new Violation(append(path, property), true, "unknown key '" + property + "'"
                    + (path.isEmpty() ? "; a mapping has destination, record, zone, fields and passthrough"
                    : target != null ? "; a field takes from, value or template, and type, default, required, drop-nulls"
                    : ""));
            case "required" -> new Violation(path, false, path.size() == 1 && path.get(0).equals("fields")
                    ? "required field '" + property + "' is not mapped; add '" + property + ": <column>' under fields"
                    : "missing '" + property + "' in " + where);
            case "enum", "const" -> new Violation(path, false, where + " is '" + text(m.getInstanceNode())
                    + "'; use " + (args.length > 0 ? String.valueOf(args[0]).replaceAll("[\\[\\]\"]", "") : "an allowed value"));
            case "propertyNames" -> {
                List<String> key = append(path, property);
                String name = property == null ? "?" : property;
                yield m.getSchemaLocation().toString().contains("allOf")
                        ? new Violation(key, true, "'" + name + "' is not a field of this destination's record; it must"
                        + " start with one of " + allowedRoots(m) + " (see the README)")
                        : new Violation(key, true, "'" + name + "' is not a target path: use names joined by single dots,"
                        + " for example context.device.id");
            }
            case "oneOf" -> target != null
                    ? new Violation(path, false, "field '" + target + "' needs exactly one of 'from' (a column), 'value'"
                    + " (a static value) or 'template' (Liquid)")
                    : null;
            case "anyOf" -> null;
            case "type" -> new Violation(path, false, where + " must be "
                    + (args.length > 1 ? String.valueOf(args[1]).replaceAll("[\\[\\]]", "").replace(", ", " or ") : "another type")
                    + ", not " + (args.length > 0 ? args[0] : "this"));
            case "minProperties" -> new Violation(path, false, where + " is empty; map at least one field");
            case "minLength" -> new Violation(path, false, where + " is empty");
            default -> new Violation(path, false, m.getMessage().replaceFirst("^\\S+: ", ""));
        };
    }

    /** The roots a kind's propertyNames pattern allows, read back from the pattern itself. */
    private static String allowedRoots(ValidationMessage m) {
        JsonNode pattern = m.getSchemaNode() == null ? null : m.getSchemaNode().path("pattern");
        String text = pattern == null ? "" : pattern.asText();
        int open = text.indexOf('(');
        int close = text.indexOf(')');
        return open >= 0 && close > open ? String.join(", ", text.substring(open + 1, close).split("\\|")) : "the kind's fields";
    }

    /** The field name when the path is fields/<name>[/...]. */
    private static String fieldName(List<String> path) {
        return path.size() >= 2 && path.get(0).equals("fields") ? path.get(1) : null;
    }

    private static String text(JsonNode node) {
        return node == null ? "" : node.isTextual() ? node.asText() : node.toString();
    }

    private static List<String> segments(JsonNodePath path) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            out.add(String.valueOf(path.getElement(i)));
        }
        return out;
    }

    private static List<String> append(List<String> path, String last) {
        List<String> out = new ArrayList<>(path);
        if (last != null) {
            out.add(last);
        }
        return out;
    }

    private static JsonSchema load() {
        try (InputStream in = MappingSchema.class.getResourceAsStream("/schema/mapping.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("mapping.schema.json is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read mapping.schema.json: " + e.getMessage(), e);
        }
    }
}
