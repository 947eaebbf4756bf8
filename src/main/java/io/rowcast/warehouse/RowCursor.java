package io.rowcast.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Streams the rows of a model query one at a time: the driver fetches {@code fetchSize} rows per
 * round trip, so memory stays flat however large the result is.
 */
public final class RowCursor implements AutoCloseable {

    private final Connection connection;
    private final Statement statement;
    private final ResultSet resultSet;
    private final List<String> columns;
    private final Map<String, Integer> index;
    private final int[] types;

    private RowCursor(Connection connection, Statement statement, ResultSet resultSet) throws SQLException {
        this.connection = connection;
        this.statement = statement;
        this.resultSet = resultSet;
        ResultSetMetaData meta = resultSet.getMetaData();
        this.columns = new ArrayList<>(meta.getColumnCount());
        this.types = new int[meta.getColumnCount()];
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
            types[i - 1] = type(meta, i);
        }
        this.index = Row.index(columns);
    }

    /**
     * The column's JDBC type as {@link #value} reads it. PostgreSQL's driver calls timestamptz
     * {@code TIMESTAMP} and timetz {@code TIME}, and reads neither as a local value: they are read with their offset.
     */
    public static int type(ResultSetMetaData meta, int column) throws SQLException {
        int type = meta.getColumnType(column);
        String name = meta.getColumnTypeName(column);
        if (type == Types.TIMESTAMP && "timestamptz".equalsIgnoreCase(name)) {
            return Types.TIMESTAMP_WITH_TIMEZONE;
        }
        return type == Types.TIME && "timetz".equalsIgnoreCase(name) ? Types.TIME_WITH_TIMEZONE : type;
    }

    /** Work done on the cursor's connection, inside its transaction, before the query (temporary tables). */
    @FunctionalInterface
    public interface Setup {
        void prepare(Connection connection) throws SQLException;
    }

    /** Runs {@code sql} with its {@code ?} parameters bound in order. */
    public static RowCursor open(DataSource dataSource, String sql, int fetchSize, Object... parameters) throws SQLException {
        return open(dataSource, c -> { }, sql, fetchSize, parameters);
    }

    /** Runs {@code setup}, then {@code sql}, in one transaction that is rolled back at close (dropping temporary tables). */
    public static RowCursor open(DataSource dataSource, Setup setup, String sql, int fetchSize, Object... parameters)
            throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            // PostgreSQL only streams inside a transaction; elsewhere this is harmless.
            c.setAutoCommit(false);
            setup.prepare(c);
            PreparedStatement s = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            s.setFetchSize(fetchSize);
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            return new RowCursor(c, s, s.executeQuery());
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // closing anyway
            }
            c.close();
            throw e;
        }
    }

    public List<String> columns() { return columns; }

    /** Makes this cursor's rows into rows without the given columns (the label index is built once, here). */
    public java.util.function.UnaryOperator<Row> without(java.util.Collection<String> dropped) {
        int[] kept = java.util.stream.IntStream.range(0, columns.size()).filter(i -> !dropped.contains(columns.get(i))).toArray();
        List<String> keptColumns = java.util.Arrays.stream(kept).mapToObj(columns::get).toList();
        Map<String, Integer> keptIndex = Row.index(keptColumns);
        return row -> {
            Object[] values = new Object[kept.length];
            for (int i = 0; i < kept.length; i++) {
                values[i] = row.value(kept[i]);
            }
            return new Row(keptColumns, keptIndex, values);
        };
    }

    /** The next row, or null at the end. */
    public Row next() throws SQLException {
        if (!resultSet.next()) {
            return null;
        }
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = value(resultSet, i + 1, types[i]);
        }
        return new Row(columns, index, values);
    }

    /**
     * A column's value as Rows hold it (and primary keys are written from): dates and timestamps as java.time,
     * times as ISO text (no JVM-zone surprises), anything else made plain by {@link #plain}.
     */
    public static Object value(ResultSet resultSet, int index, int type) throws SQLException {
        Object value = switch (type) {
            case Types.TIMESTAMP -> resultSet.getObject(index, LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> resultSet.getObject(index, OffsetDateTime.class);
            case Types.DATE -> resultSet.getObject(index, java.time.LocalDate.class);
            // as ISO text, seconds always written (as java.sql.Time wrote a whole second), fractions and offset kept
            // (java.sql.Time drops the fractions and moves timetz into the JVM's zone)
            case Types.TIME -> isoText(resultSet.getObject(index, java.time.LocalTime.class), DateTimeFormatter.ISO_LOCAL_TIME);
            case Types.TIME_WITH_TIMEZONE ->
                    isoText(resultSet.getObject(index, java.time.OffsetTime.class), DateTimeFormatter.ISO_OFFSET_TIME);
            default -> resultSet.getObject(index);
        };
        // the common types first, small enough to inline: this runs for every value of every row
        if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean
                || value instanceof java.time.temporal.Temporal) {
            return value;
        }
        return plain(value);
    }

    /**
     * A driver's value as Rows hold it: arrays as lists of plain elements (NULLs kept), bytes as Base64, XML and
     * character LOBs as their text (the toString of a byte[], Blob, Clob or SQLXML names the object, not its
     * content), other driver objects (PGobject json, intervals) as their text.
     */
    private static Object plain(Object value) throws SQLException {
        if (value == null || value instanceof Number || value instanceof String || value instanceof Boolean
                || value instanceof java.time.temporal.Temporal) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        // java.sql date-times come only as array elements (columns are read as java.time above), shown in the JVM's
        // zone as before (a timetz[] element loses its offset, a time[] element keeps milliseconds only); Time's own
        // conversions would drop the milliseconds too
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof java.sql.Time time) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(
                    LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(time.getTime()), java.time.ZoneId.systemDefault()));
        }
        if (value instanceof java.sql.Blob blob) {
            try {
                return java.util.Base64.getEncoder().encodeToString(blob.getBytes(1, Math.toIntExact(blob.length())));
            } finally {
                blob.free();
            }
        }
        if (value instanceof java.sql.SQLXML xml) {
            try {
                return xml.getString();
            } finally {
                xml.free();
            }
        }
        if (value instanceof java.sql.Clob clob) {
            try {
                return clob.getSubString(1, Math.toIntExact(clob.length()));
            } finally {
                clob.free();
            }
        }
        if (value instanceof java.sql.Array array) {
            return plain(array.getArray());
        }
        if (value instanceof Object[] array) {
            List<Object> elements = new java.util.ArrayList<>(array.length);
            for (Object element : array) {
                elements.add(plain(element));
            }
            return java.util.Collections.unmodifiableList(elements);
        }
        if (value instanceof java.util.Map<?, ?> map) {
            // (PostgreSQL's hstore): JSON, keys sorted; the map's own text, {a=1, b=2}, is also that of {a="1, b=2"}
            java.util.Map<String, Object> sorted = new java.util.TreeMap<>();
            for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                sorted.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return io.rowcast.mapping.Json.write(sorted);
        }
        if (value.getClass().isArray()) {   // a primitive array
            int length = java.lang.reflect.Array.getLength(value);
            List<Object> elements = new java.util.ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                elements.add(java.lang.reflect.Array.get(value, i));
            }
            return java.util.Collections.unmodifiableList(elements);
        }
        return value.toString();
    }

    private static String isoText(java.time.temporal.TemporalAccessor value, DateTimeFormatter format) {
        return value == null ? null : format.format(value);
    }

    @Override
    public void close() {
        try (connection; statement; resultSet) {
            connection.rollback();
        } catch (SQLException ignored) {
            // closing a read-only cursor: nothing to keep
        }
    }
}
