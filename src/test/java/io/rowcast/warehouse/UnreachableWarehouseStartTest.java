package io.rowcast.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * A warehouse down when the syncs start does not stop them, and is asked once for all of them: each route start
 * would otherwise wait out the pool's connection time-out in turn (30 s each by default).
 */
class UnreachableWarehouseStartTest {

    @Test
    void routeStartsAskAnUnreachableWarehouseOnceAndAllStart() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        WarehouseComponent component = new WarehouseComponent(new Unreachable(attempts), null);
        component.setSchedulerEnabled(false);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("warehouse", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String sync : new String[] {"a", "b", "c"}) {
                        from("warehouse:" + sync + "?query=SELECT 1 AS id&primaryKey=id").routeId(sync).to("stub:" + sync);
                    }
                }
            });
            camel.start();

            assertThat(camel.getRoutes()).hasSize(3)
                    .allMatch(r -> camel.getRouteController().getRouteStatus(r.getRouteId()).isStarted());
            assertThat(attempts).as("one connection attempt for the three starts").hasValue(1);
        }
    }

    /** A pool whose every connection attempt fails, as Hikari's does after its time-out. */
    private record Unreachable(AtomicInteger attempts) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            attempts.incrementAndGet();
            throw new SQLTransientConnectionException("warehouse - Connection is not available, request timed out after 30000ms");
        }

        @Override public Connection getConnection(String user, String password) throws SQLException { return getConnection(); }
        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() { return Logger.getGlobal(); }
        @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("not a wrapper"); }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}
