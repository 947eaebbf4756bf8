package io.rowcast.warehouse;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One warehouse row: its values in query order, readable as a map by column label. Cheap to make
 * (one array a row, the label index shared), since most rows of a run are unchanged and never mapped.
 */
public final class Row extends AbstractMap<String, Object> {

    private final List<String> columns;
    private final Map<String, Integer> index;
    private final Object[] values;

    Row(List<String> columns, Map<String, Integer> index, Object[] values) {
        this.columns = columns;
        this.index = index;
        this.values = values;
    }

    public int width() { return values.length; }

    public Object value(int i) { return values[i]; }

    /**
     * The label index rows of these columns share: each label, and (under a key no label can have) its lower-case
     * form when no other label folds to it, so a mapping's {@code firstName} finds PostgreSQL's {@code firstname},
     * as SQL and the start-up check compare names.
     */
    static Map<String, Integer> index(List<String> columns) {
        Map<String, Integer> index = new java.util.HashMap<>();
        Map<String, Long> folds = new java.util.HashMap<>();
        for (String column : columns) {
            folds.merge(fold(column), 1L, Long::sum);
        }
        for (int i = 0; i < columns.size(); i++) {
            index.putIfAbsent(columns.get(i), i);
            if (folds.get(fold(columns.get(i))) == 1) {
                index.put(fold(columns.get(i)), i);
            }
        }
        return index;
    }

    private static String fold(String column) {
        return "\0" + column.toLowerCase(java.util.Locale.ROOT);
    }

    private Integer at(Object column) {
        Integer i = index.get(column);
        return i != null || !(column instanceof String name) ? i : index.get(fold(name));
    }

    @Override
    public Object get(Object column) {
        Integer i = at(column);
        return i == null ? null : values[i];
    }

    @Override
    public boolean containsKey(Object column) { return at(column) != null; }

    @Override
    public int size() { return values.length; }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> entries = new LinkedHashSet<>();
        for (int i = 0; i < values.length; i++) {
            entries.add(new SimpleImmutableEntry<>(columns.get(i), values[i]));
        }
        return entries;
    }
}
