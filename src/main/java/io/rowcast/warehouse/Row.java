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

    @Override
    public Object get(Object column) {
        Integer i = index.get(column);
        return i == null ? null : values[i];
    }

    @Override
    public boolean containsKey(Object column) { return index.containsKey(column); }

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
