package io.rowcast.warehouse;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * How many runs may work on one warehouse pool at once: one fewer than its connections. A run holds a
 * connection for its stream from start to end (and before it, for snapshot upkeep and the duplicate check, each
 * possibly long), and the warehouse engine's batch commits need another from the same pool; with every connection holding a stream, those commits would wait out the pool's time-out and fail
 * their runs (eight warehouse-engine syncs starting together would do it). So one connection is always left for
 * them; a run beyond the limit waits for a stream to end.
 */
public final class WarehouseStreams {

    private static final Map<DataSource, Semaphore> LIMITS = Collections.synchronizedMap(new WeakHashMap<>());

    private WarehouseStreams() { }

    /** The streams allowed on {@code warehouse} at once (unlimited for a data source that is not a bounded pool). */
    public static Semaphore of(DataSource warehouse) {
        return LIMITS.computeIfAbsent(warehouse, w -> new Semaphore(w instanceof HikariDataSource pool
                ? Math.max(1, pool.getMaximumPoolSize() - 1) : Integer.MAX_VALUE, true));
    }
}
