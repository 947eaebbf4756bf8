package io.rowcast.warehouse.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.BaseStatement;
import org.postgresql.core.Field;
import org.postgresql.core.Tuple;
import org.postgresql.core.TypeInfo;

import io.rowcast.warehouse.RowCursor;

/**
 * A query's rows as PostgreSQL sends them for {@code COPY (query) TO STDOUT}. Unlike a cursor (which the planner
 * never gives parallel workers, since a fetch may stop it early), COPY runs the query to its end, in parallel, and
 * sends each row as soon as it is made. COPY's text format is the text an ordinary query's rows arrive in, once
 * unescaped, so the driver's own result sets decode it, a chunk at a time: the values are a cursor's.
 */
final class PostgresCopyStream implements RowCursor.Chunks {

    /** PostgreSQL's first OID for objects made after initdb: every type below it is built in. */
    private static final int FIRST_NORMAL_OID = 16384;

    /** The driver names a column with a sequence default serial; its type is the integer. */
    private static final java.util.Map<String, String> SERIAL = java.util.Map.of("smallserial", "int2", "serial", "int4",
            "bigserial", "int8");

    private final BaseConnection connection;
    private final BaseStatement statement;
    private final Field[] fields;
    private final ResultSet columns;
    private final CopyOut copy;
    private final int chunkSize;
    private boolean ended;

    private PostgresCopyStream(BaseConnection connection, BaseStatement statement, Field[] fields, ResultSet columns,
                               CopyOut copy, int chunkSize) {
        this.connection = connection;
        this.statement = statement;
        this.fields = fields;
        this.columns = columns;
        this.copy = copy;
        this.chunkSize = chunkSize;
    }

    /**
     * Streams {@code select} on {@code c}, or empty when a column is of a type made in the database (an enum, a
     * domain, an extension's): the driver may look such a type up while decoding, a query it cannot send while the
     * connection is busy copying. Built-in types are all looked up here, before the copy starts.
     */
    static Optional<RowCursor> open(Connection c, String select, int chunkSize) throws SQLException {
        BaseConnection pg = c.unwrap(BaseConnection.class);
        TypeInfo types = pg.getTypeInfo();
        Field[] fields;
        try (PreparedStatement describe = c.prepareStatement(select)) {
            ResultSetMetaData meta = describe.getMetaData();   // described, not run
            fields = new Field[meta.getColumnCount()];
            for (int i = 0; i < fields.length; i++) {
                String name = meta.getColumnTypeName(i + 1);
                int oid = types.getPGType(SERIAL.getOrDefault(name, name));
                int element = oid != 0 && meta.getColumnType(i + 1) == java.sql.Types.ARRAY ? types.getPGArrayElement(oid) : 0;
                if (oid == 0 || oid >= FIRST_NORMAL_OID || element >= FIRST_NORMAL_OID) {
                    return Optional.empty();
                }
                if (element != 0) {
                    types.getArrayDelimiter(oid);
                    types.getSQLType(element);
                    types.getPGType(element);
                }
                fields[i] = new Field(meta.getColumnLabel(i + 1), oid);
            }
        }
        Statement s = c.createStatement();
        try {
            BaseStatement base = s.unwrap(BaseStatement.class);
            ResultSet columns = base.createDriverResultSet(fields, List.of());
            ResultSetMetaData meta = columns.getMetaData();
            for (int i = 1; i <= fields.length; i++) {
                meta.getColumnType(i);   // the types' SQL types and names, cached before the copy
                meta.getColumnTypeName(i);
            }
            CopyOut copy = new CopyManager(pg).copyOut("COPY (" + select + ") TO STDOUT");
            return Optional.of(RowCursor.of(c, s, new PostgresCopyStream(pg, base, fields, columns, copy, chunkSize)));
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public ResultSet columns() {
        return columns;
    }

    @Override
    public ResultSet next() throws SQLException {
        List<Tuple> rows = new ArrayList<>(chunkSize);
        while (!ended && rows.size() < chunkSize) {
            byte[] line = copy.readFromCopy();
            if (line == null) {
                ended = true;
            } else {
                rows.add(tuple(line));
            }
        }
        return rows.isEmpty() ? null : statement.createDriverResultSet(fields, rows);
    }

    /** One row of COPY's text format: tab-separated, {@code \N} for NULL, backslash escapes, a line feed at the end. */
    private Tuple tuple(byte[] line) throws SQLException {
        byte[][] values = new byte[fields.length][];
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        int start = 0;
        for (int i = 0; i < values.length; i++) {
            int stop = start;
            while (stop < end && line[stop] != '\t') {
                stop++;
            }
            if (stop == end && i < values.length - 1) {
                throw new SQLException("COPY sent a row of fewer columns than the query has (" + (i + 1) + " of " + values.length + ")");
            }
            values[i] = value(line, start, stop);
            start = stop + 1;
        }
        return new Tuple(values);
    }

    private static byte[] value(byte[] line, int from, int to) {
        if (to - from == 2 && line[from] == '\\' && line[from + 1] == 'N') {
            return null;
        }
        int escapes = 0;
        for (int i = from; i < to; i++) {
            if (line[i] == '\\') {
                escapes++;
                i++;
            }
        }
        byte[] value = new byte[to - from - escapes];
        if (escapes == 0) {
            System.arraycopy(line, from, value, 0, value.length);
            return value;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b == '\\' && i + 1 < to) {
                b = switch (line[++i]) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'v' -> 0x0B;
                    default -> line[i];   // the backslash itself
                };
            }
            value[n++] = b;
        }
        return value;
    }

    /**
     * Cancels a copy cut short and reads what the server sent until it stopped: the driver's own cancelCopy only
     * asks the server to stop, and the copy's last rows and its error would then be read as the next statement's
     * answer. A cancel that comes when the copy has already ended finds the server idle, which ignores it.
     */
    @Override
    public void close() throws SQLException {
        columns.close();
        if (!ended && copy.isActive()) {
            connection.cancelQuery();
            try {
                while (copy.readFromCopy() != null) {
                    // the rows already on their way
                }
            } catch (SQLException cancelled) {
                // how a cancelled copy ends; the cursor rolls its transaction back
            }
        }
    }
}
