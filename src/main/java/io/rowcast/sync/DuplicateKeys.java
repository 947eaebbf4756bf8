package io.rowcast.sync;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import io.rowcast.warehouse.Row;
import io.rowcast.warehouse.RowCursor;

/**
 * Finds primary keys the model returns more than once, before any row is sent, so that none of
 * the duplicates goes out. One aggregate query in the warehouse; only the duplicate keys come back,
 * read through the same {@link RowCursor} as the rows so their text form matches.
 */
final class DuplicateKeys {

    private DuplicateKeys() { }

    static Set<String> find(DataSource warehouse, String query, PrimaryKey key, Object... parameters) throws SQLException {
        String columns = String.join(", ", key.declared());
        String groups = "SELECT " + columns + " FROM (" + query + ") rowcast_model GROUP BY " + columns + " HAVING COUNT(*) > 1";
        Set<String> keys = read(warehouse, groups, columns, parameters);
        if (keys.isEmpty()) {
            return keys;
        }
        // a group holds values the warehouse finds equal, which may be written differently (numeric 1.0 and 1.00,
        // citext): each of its rows, as the run will read it
        String rows = "SELECT " + String.join(", ", key.declared().stream().map(k -> "rowcast_model." + k).toList())
                + " FROM (" + query + ") rowcast_model JOIN (" + groups + ") rowcast_twins ON "
                + String.join(" AND ", key.declared().stream().map(k -> "rowcast_model." + k + " = rowcast_twins." + k).toList());
        Object[] twice = java.util.stream.Stream.concat(java.util.Arrays.stream(parameters), java.util.Arrays.stream(parameters))
                .toArray();
        keys.addAll(read(warehouse, rows, columns, twice));
        return keys;
    }

    private static Set<String> read(DataSource warehouse, String sql, String columns, Object... parameters) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (RowCursor rows = RowCursor.open(warehouse, sql, 1000, parameters)) {
            PrimaryKey bound = new PrimaryKey(columns);
            bound.bind(rows.columns());
            Row row;
            while ((row = rows.next()) != null) {
                String k = bound.keyOf(row);
                if (k != null) {
                    keys.add(k);
                }
            }
        }
        return keys;
    }
}
