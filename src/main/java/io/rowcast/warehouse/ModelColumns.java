package io.rowcast.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A model query's columns, asked of the warehouse without reading a row ({@code WHERE 1 = 0}). */
public final class ModelColumns {

    private ModelColumns() { }

    /** @throws SQLException when the query does not run (the connection is already open) */
    public static List<String> of(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM (" + query + ") rowcast_model WHERE 1 = 0")) {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnLabel(i));
            }
            return columns;
        }
    }

    /** The type of the model's column {@code column} (compared ignoring case) as the driver names it, if the model has it. */
    public static java.util.Optional<String> typeName(Connection connection, String query, String column) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM (" + query + ") rowcast_model WHERE 1 = 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if (rs.getMetaData().getColumnLabel(i).equalsIgnoreCase(column)) {
                    return java.util.Optional.of(rs.getMetaData().getColumnTypeName(i));
                }
            }
            return java.util.Optional.empty();
        }
    }
}
