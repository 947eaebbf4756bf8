package io.rowcast.mapping;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import liqp.Template;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a mapping file strictly: the JSON Schema first (mapping.schema.json), then what a schema cannot
 * say (time zones, Liquid syntax, values that do not fit their type). Every problem is reported as
 * {@code file:line:column: what, and what to do}; a file with any problem does not load.
 */
public final class MappingLoader {

    private static final TemplateParser LIQUID = new TemplateParser.Builder()
            .withErrorMode(TemplateParser.ErrorMode.STRICT)
            .withStrictVariables(false)
            .build();

    private MappingLoader() { }

    public static Mapping load(Path file) {
        String source;
        Node root;
        try {
            source = Files.readString(file);
            root = new Yaml(new LoaderOptions()).compose(new StringReader(source));
        } catch (MarkedYAMLException e) {
            throw new MappingException(List.of(at(file, e.getProblemMark(), "not valid YAML: " + e.getProblem())));
        } catch (IOException e) {
            throw new MappingException(List.of(file + ": cannot read the mapping file: " + e.getMessage()));
        }
        if (root == null) {
            throw new MappingException(List.of(file + ": the file is empty; a mapping has destination, record and fields"));
        }
        YamlTree tree = new YamlTree(root);
        List<String> problems = new ArrayList<>();
        for (YamlTree.Repeated r : tree.repeated()) {
            problems.add(at(file, r.again(), "'" + r.key() + "' is given twice (first on line " + (r.first().getLine() + 1)
                    + "); YAML keeps only the last, so say it once"));
        }
        for (MappingSchema.Violation v : MappingSchema.validate(tree.json())) {
            problems.add(at(file, v.atKey() ? tree.keyAt(v.path()) : tree.valueAt(v.path()), v.message()));
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        JsonNode doc = tree.json();
        RecordKind kind = RecordKind.find(doc.get("destination").asText(), doc.get("record").asText());
        ZoneId zone = ZoneId.of("UTC");
        if (doc.has("zone")) {
            try {
                zone = ZoneId.of(doc.get("zone").asText());
            } catch (DateTimeException e) {
                problems.add(at(file, tree.valueAt(List.of("zone")), "unknown time zone '" + doc.get("zone").asText()
                        + "'; use an IANA name such as UTC or Europe/Paris"));
            }
        }
        List<FieldMapping> fields = new ArrayList<>();
        ZoneId mappingZone = zone;
        doc.get("fields").fields().forEachRemaining(e -> {
            FieldMapping f = field(e.getKey(), e.getValue(), tree, file, mappingZone, problems);
            if (f != null) {
                fields.add(f);
            }
        });
        Passthrough passthrough = null;
        if (doc.has("passthrough")) {
            JsonNode p = doc.get("passthrough");
            passthrough = Passthrough.of(p.get("into").asText(), strings(p.get("columns")), new HashSet<>(strings(p.get("except"))));
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        return new Mapping(file, source, kind, List.copyOf(fields), passthrough, zone);
    }

    private static FieldMapping field(String target, JsonNode spec, YamlTree tree, Path file, ZoneId zone, List<String> problems) {
        List<String> at = List.of("fields", target);
        List<String> path = Arrays.asList(target.split("\\."));
        if (spec.isTextual()) {
            return new FieldMapping(target, path, spec.asText(), null, null, List.of(), null, null, false, false);
        }
        FieldType type = spec.has("type") ? FieldType.of(spec.get("type").asText()) : null;
        Template template = null;
        List<String> templateColumns = List.of();
        if (spec.has("template")) {
            templateColumns = templateColumns(spec.get("template").asText());
            try {
                template = LIQUID.parse(spec.get("template").asText());
            } catch (LiquidException e) {
                problems.add(at(file, tree.valueAt(append(at, "template")), "invalid Liquid template: " + e.getMessage()));
            } catch (RuntimeException e) {
                problems.add(at(file, tree.valueAt(append(at, "template")), "invalid Liquid template: " + e.getMessage()));
            }
        }
        JsonNode staticValue = spec.has("value") ? typed(spec.get("value"), type, "value", target, at, tree, file, zone, problems) : null;
        JsonNode defaultValue = spec.has("default") ? typed(spec.get("default"), type, "default", target, at, tree, file, zone, problems) : null;
        return new FieldMapping(target, path, spec.has("from") ? spec.get("from").asText() : null, staticValue, template,
                templateColumns, type,
                defaultValue, spec.path("required").asBoolean(false), spec.path("drop-nulls").asBoolean(false));
    }

    /** {@code row.name} and {@code row['name']} in a Liquid template: the columns it reads. */
    private static final java.util.regex.Pattern ROW_COLUMN =
            java.util.regex.Pattern.compile("(?<![\\w.])row(?:\\.([A-Za-z_]\\w*)|\\[\\s*[\"']([^\"']+)[\"']\\s*\\])");

    /** The columns a template reads, as written (a column reached another way, an assigned variable, is not seen). */
    static List<String> templateColumns(String template) {
        java.util.regex.Matcher m = ROW_COLUMN.matcher(template);
        java.util.Set<String> columns = new java.util.LinkedHashSet<>();
        while (m.find()) {
            columns.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return List.copyOf(columns);
    }

    /**
     * A static value or default, converted once to the field's type, a timestamp without a zone read in the
     * mapping's zone as the row's are; a value that does not fit is a problem now, not per row.
     */
    private static JsonNode typed(JsonNode raw, FieldType type, String key, String target, List<String> at, YamlTree tree,
                                  Path file, ZoneId zone, List<String> problems) {
        if (type == null) {
            return raw;
        }
        try {
            return type.convert(raw.isTextual() ? raw.asText() : raw, zone);
        } catch (IllegalArgumentException | ArithmeticException e) {
            problems.add(at(file, tree.valueAt(append(at, key)), key + " of '" + target + "': " + e.getMessage()
                    + " (the field's type is " + type.typeName() + ")"));
            return raw;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static List<String> append(List<String> path, String last) {
        List<String> out = new ArrayList<>(path);
        out.add(last);
        return out;
    }

    static String at(Path file, Mark mark, String message) {
        return mark == null ? file + ": " + message
                : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": " + message;
    }

    /** The columns the mapping reads with from: that the model does not return (case-insensitive, as SQL). */
    public static List<String> missingColumns(Mapping mapping, List<String> modelColumns) {
        return absent(mapping.columns(), modelColumns);
    }

    /**
     * What the mapping names that the model does not return, short of an error: columns its templates seem to
     * read (they render empty) and its passthrough's except names (harmless, unless misspelt: then the column
     * meant goes through). Validate warns of them.
     */
    public static List<String> doubtfulColumns(Mapping mapping, List<String> modelColumns) {
        java.util.Set<String> named = new java.util.HashSet<>(mapping.templateColumns());
        if (mapping.passthrough() != null) {
            named.addAll(mapping.passthrough().except());
        }
        return absent(named, modelColumns);
    }

    private static List<String> absent(java.util.Collection<String> named, List<String> modelColumns) {
        return named.stream().filter(c -> modelColumns.stream().noneMatch(m -> m.equalsIgnoreCase(c))).sorted().toList();
    }

}
