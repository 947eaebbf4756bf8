package io.rowcast.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.rowcast.mapping.Json;

/**
 * The column or columns that identify a row. A single-column key is stored as its text;
 * a composite key as a JSON array of its parts, so no separator can collide with the data.
 */
public final class PrimaryKey {

    private final List<String> declared;
    private List<String> columns;

    public PrimaryKey(String spec) {
        this.declared = Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("primaryKey is empty: name the column (or columns, comma-separated) that identify a row");
        }
    }

    /** Matches the declared columns to the query's columns, ignoring case as SQL does. */
    public void bind(List<String> queryColumns) {
        List<String> bound = new ArrayList<>();
        for (String name : declared) {
            bound.add(queryColumns.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("primary key column '" + name
                            + "' is not among the model query's columns " + queryColumns)));
        }
        this.columns = bound;
    }

    /** The row's key, or null when any part of it is NULL. */
    public String keyOf(Map<String, Object> row) {
        if (columns.size() == 1) {
            Object v = row.get(columns.get(0));
            return v == null ? null : String.valueOf(v);
        }
        List<Object> values = new ArrayList<>(columns.size());
        for (String c : columns) {
            values.add(row.get(c));
        }
        return keyOf(values);
    }

    /** The key of these values of the key columns, in declared order; null when any is NULL. */
    public static String keyOf(List<Object> values) {
        if (values.size() == 1) {
            return values.get(0) == null ? null : String.valueOf(values.get(0));
        }
        List<String> parts = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v == null) {
                return null;
            }
            parts.add(String.valueOf(v));
        }
        return Json.write(parts);
    }

    /** The text of each part of a key of {@code columns} columns: the inverse of {@link #keyOf(List)}. */
    public static List<String> parts(String key, int columns) {
        if (columns == 1) {
            return List.of(key);
        }
        try {
            List<String> parts = Json.MAPPER.readValue(key, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { });
            if (parts.size() != columns) {
                throw new IllegalArgumentException("key " + key + " has " + parts.size() + " parts, not " + columns);
            }
            return parts;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("key " + key + " is not a composite key of " + columns + " parts", e);
        }
    }

    public List<String> declared() { return declared; }
}
