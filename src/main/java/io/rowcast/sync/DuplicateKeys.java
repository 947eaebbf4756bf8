package io.rowcast.sync;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

/**
 * Finds primary keys the model returns more than once, before any row is sent, so that none of
 * the duplicates goes out. One aggregate query in the warehouse; only the duplicate keys come back.
 */
final class DuplicateKeys {

    private DuplicateKeys() { }

    static Set<String> find(DataSource warehouse, String query, PrimaryKey key) throws SQLException {
        String columns = String.join(", ", key.declared());
        String sql = "SELECT " + columns + " FROM (" + query + ") rowcast_model GROUP BY " + columns + " HAVING COUNT(*) > 1";
        Set<String> keys = new HashSet<>();
        try (Connection c = warehouse.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= key.declared().size(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                PrimaryKey bound = new PrimaryKey(String.join(",", key.declared()));
                bound.bind(java.util.List.copyOf(row.keySet()));
                String k = bound.keyOf(row);
                if (k != null) {
                    keys.add(k);
                }
            }
        }
        return keys;
    }
}
