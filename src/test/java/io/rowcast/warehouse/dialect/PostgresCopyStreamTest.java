package io.rowcast.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rowcast.testing.TestPostgres;
import io.rowcast.warehouse.Row;
import io.rowcast.warehouse.RowCursor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The diff streamed with COPY (PostgresCopyStream) must read exactly what a cursor reads, whatever the column types
 * and however the text is escaped, and must let go of its connection when cut short.
 */
class PostgresCopyStreamTest {

    private static final String URL = TestPostgres.url("copystream");

    /** Built-in types, awkward values among them: escapes, NULLs, infinities, NaN, arrays of quoted text. */
    private static final String TYPES = "SELECT * FROM (VALUES"
            + " (1, 2::int2, 3::int8, 1.50::numeric(10,2), 'NaN'::numeric, 1.5::float4, '-Infinity'::float8, true,"
            + "  E'tab\\there, line\\nfeed, cr\\r, back\\\\slash, \\b\\f' || chr(11) || E', \\\\N, ü€😀', 'abc'::char(5), 'v'::varchar(9),"
            + "  DATE '2026-01-02', TIMESTAMP '2026-01-02 10:30:15.123456', TIMESTAMPTZ '2026-01-02 10:30:15.5+03',"
            + "  TIME '09:00:00.654321', TIMETZ '09:00:00.5+03:00', INTERVAL '1 day 2 hours', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid,"
            + "  '{\"a\": [1, \"x\\ty\"]}'::json, '{\"b\": null}'::jsonb, '\\x00ff5c09'::bytea, '10.0.0.1/8'::inet, '08:00:2b:01:02:03'::macaddr,"
            + "  B'101', ARRAY[1, NULL, 3], ARRAY['a\"b', 'c,d', '{e}', NULL, 'back\\slash', 'tab\there'],"
            + "  ARRAY[INTERVAL '1 hour'], ARRAY['10.0.0.1'::inet], ARRAY[TIMESTAMPTZ '2026-01-02 10:30:15+01'], ARRAY[1.5::numeric],"
            + "  '<a>x</a>'::xml, 'fat cat'::tsvector, 12.34::money),"
            + " (2, NULL, NULL, NULL, NULL, NULL, 'NaN', false, '', NULL, NULL, 'infinity', '-infinity', 'infinity', NULL, NULL, NULL, NULL,"
            + "  NULL, NULL, '\\x'::bytea, NULL, NULL, NULL, '{}'::int[], '{\"\"}'::text[], NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
            + ") v(n, i2, i8, num, nan, f4, f8, b, txt, ch, vc, d, ts, tstz, t, ttz, iv, u, j, jb, by, ip, mac, bits, ints, texts,"
            + "  intervals, ips, times, nums, x, tsv, cash)";

    private static HikariDataSource pool;

    @BeforeAll
    static void warehouse() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL);
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(1);   // a connection a stream left busy would be the only one
        pool = new HikariDataSource(config);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void readsEveryBuiltInTypeAsACursorDoes() throws SQLException {
        // a chunk of one row: each chunk is a result set of its own
        List<List<Object>> streamed = read(RowCursor.open(pool, c -> new PostgresDialect().stream(c, TYPES + " ORDER BY n", 1).orElseThrow()));
        List<List<Object>> fetched = read(RowCursor.open(pool, TYPES + " ORDER BY n", 1));

        assertThat(streamed).hasSize(2).isEqualTo(fetched);
        assertThat(streamed.get(0).get(8)).isEqualTo("tab\there, line\nfeed, cr\r, back\\slash, \b\f\u000B, \\N, ü€😀");
        assertThat(streamed.get(1).get(8)).as("an empty text is not NULL").isEqualTo("");
        assertThat(streamed.get(1).get(1)).isNull();
    }

    @Test
    void manyRowsArriveInChunksAndNothingIsLost() throws SQLException {
        List<List<Object>> streamed = read(RowCursor.open(pool, c -> new PostgresDialect()
                .stream(c, "SELECT g, 'row ' || g FROM generate_series(1, 2500) g", 1000).orElseThrow()));

        assertThat(streamed).hasSize(2500);
        assertThat(streamed.get(2499)).containsExactly(2500, "row 2500");
    }

    /** The driver may look a type made in the database up as it decodes it, which it cannot while the connection copies. */
    @Test
    void aColumnOfATypeMadeInTheDatabaseIsNotStreamed() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("DROP TYPE IF EXISTS mood CASCADE");
            s.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')");
        }
        try (RowCursor cursor = RowCursor.open(pool, c -> {
            Optional<RowCursor> stream = new PostgresDialect().stream(c, "SELECT 1 AS n, 'happy'::mood AS m", 10);
            assertThat(stream).isEmpty();
            stream = new PostgresDialect().stream(c, "SELECT 1 AS n, ARRAY['happy'::mood] AS m", 10);
            assertThat(stream).as("nor an array of one").isEmpty();
            return RowCursor.query(c, "SELECT 1 AS n, 'happy'::mood AS m", 10);
        })) {
            assertThat(cursor.next().value(1)).as("the connection is still usable").isEqualTo("happy");
        }
    }

    @Test
    void aStreamCutShortIsCancelledAndItsConnectionCanBeUsedAgain() throws SQLException {
        try (RowCursor cursor = RowCursor.open(pool, c -> new PostgresDialect()
                .stream(c, "SELECT g, repeat('x', 100) FROM generate_series(1, 5000000) g", 100).orElseThrow())) {
            assertThat(cursor.next().value(0)).isEqualTo(1);
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY (SELECT g%' AND state = 'active'"
                    + " AND pid <> pg_backend_pid()");
            rs.next();
            assertThat(rs.getInt(1)).as("the copy is no longer running").isZero();
        }
    }

    private static List<List<Object>> read(RowCursor cursor) throws SQLException {
        try (cursor) {
            List<List<Object>> rows = new ArrayList<>();
            Row row;
            while ((row = cursor.next()) != null) {
                Object[] values = new Object[row.width()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.value(i);
                }
                rows.add(Arrays.asList(values));
            }
            return rows;
        }
    }
}
