package io.rowcast.warehouse.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.rowcast.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The snapshot table's form (unlogged, keyed by the model's key columns); and when PostgreSQL proves a model's key unique, Rowcast skips its duplicate check: a wrong "unique" would let duplicates out. */
class PostgresDialectTest {

    private static Connection c;

    @BeforeAll
    static void tables() throws SQLException {
        c = DriverManager.getConnection(TestPostgres.url("dialect"), "postgres", "postgres");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT, team TEXT)");
            s.execute("CREATE TABLE events (id BIGINT, email TEXT)");   // no key: duplicates possible
            s.execute("CREATE TABLE members (team TEXT, email TEXT, UNIQUE (team, email))");
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    /** A changed row is updated where the diff saw it; one not there any more (moved, or another key there) is handed back. */
    @Test
    void snapshotRowsAreUpdatedAtTheirRowIdWhileTheyStillHoldTheirKey() throws SQLException {
        PostgresDialect dialect = new PostgresDialect();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS rowcast");
            s.execute("CREATE TABLE rowcast.snapshot_at (id BIGINT PRIMARY KEY, rowcast_fp BIGINT NOT NULL, rowcast_ledger_at TEXT)");
            s.execute("INSERT INTO rowcast.snapshot_at VALUES (1, 10), (2, 20), (3, 30)");
            List<String> at = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT " + dialect.rowId("s").orElseThrow() + " FROM rowcast.snapshot_at s ORDER BY id")) {
                while (rs.next()) {
                    at.add(rs.getString(1));
                }
            }
            s.execute("UPDATE rowcast.snapshot_at SET rowcast_fp = 31 WHERE id = 3");   // row 3 moves on
            SnapshotKey key = new SnapshotKey(List.of("id"), List.of("int8"));

            // row 1 where it is; row 2's place named for key 1 (another key there); row 3's old place
            java.util.Set<Integer> missed = dialect.updateSnapshotAt(c, "rowcast.snapshot_at", key,
                    List.of(at.get(0), at.get(1), at.get(2)), List.of(List.of("1"), List.of("1"), List.of("3")), List.of(11L, 12L, 13L),
                    java.util.Arrays.asList("(5,1)", "(5,2)", null));

            assertThat(missed).containsExactlyInAnyOrder(1, 2);
            List<String> rows = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id || '=' || rowcast_fp || ' ' || COALESCE(rowcast_ledger_at, '-')"
                    + " FROM rowcast.snapshot_at ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            assertThat(rows).containsExactly("1=11 (5,1)", "2=20 -", "3=31 -");
        }
    }

    @Test
    void theSnapshotIsUnloggedSoItsScatteredUpdatesWriteNoWal() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS rowcast");   // (made by the snapshot's owner claim in a run)
            for (String ddl : new PostgresDialect().createSnapshot("rowcast", "snapshot_t", "SELECT * FROM members", List.of("team", "email"))) {
                s.execute(ddl);
            }
            try (ResultSet rs = s.executeQuery("SELECT relpersistence, reloptions FROM pg_class WHERE oid = 'rowcast.snapshot_t'::regclass")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("u");
                assertThat(rs.getString(2)).contains("fillfactor=80");
            }
            try (ResultSet rs = s.executeQuery("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i"
                    + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                    + " WHERE i.indrelid = 'rowcast.snapshot_t'::regclass AND i.indisprimary ORDER BY a.attnum")) {
                List<String> key = new java.util.ArrayList<>();
                while (rs.next()) {
                    key.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertThat(key).as("keyed by the model's own columns and types").containsExactly("team text", "email text");
            }
        }
    }

    @ParameterizedTest(name = "{0} keyed by {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "SELECT id, email FROM users                                   | id          | true",
        "SELECT * FROM users WHERE email LIKE '%@example.com'          | id          | true",
        "SELECT team, email FROM members                               | team,email  | true",
        "SELECT email, count(*) AS n FROM events GROUP BY email        | email       | true",
        "SELECT DISTINCT email FROM events                             | email       | true",
        "SELECT id, email FROM events                                  | id          | false",
        "SELECT id, email FROM users                                   | email       | false",
        "SELECT team, email FROM members                               | email       | false",
        "SELECT id + 0 AS id, email FROM users                         | id          | false",
        "SELECT id, email FROM users UNION ALL SELECT id, email FROM users | id     | false",
        "SELECT * FROM (VALUES (1, 'a'), (1, 'b')) v (id, email)       | id          | false",
        "SELECT 1 AS id UNION ALL SELECT 1                             | id          | false",
        "SELECT u.id, o.id AS order_id FROM users u JOIN orders o ON o.user_id = u.id | id | false",
        // unique in fact, but PostgreSQL removes only joins to single tables: unproven, so checked (safe)
        "SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id | id | false",
    })
    void provesOnlyWhatAUniqueIndexOrAGroupingGuarantees(String model, String key, boolean unique) throws SQLException {
        assertThat(new PostgresDialect().provesKeyUnique(c, model, List.of(key.split(",")))).isEqualTo(unique);
    }
}
