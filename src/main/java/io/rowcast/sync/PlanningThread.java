package io.rowcast.sync;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import io.rowcast.warehouse.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans chunks of rows on their own thread, in the order they were read, while the run's thread goes on
 * reading the next ones: reading (the driver decoding rows) and planning (fingerprints, lookups) then
 * share the machine's cores instead of taking turns. At most {@code capacity} chunks wait, so memory
 * stays bounded. A failed chunk is reported through {@code fail}; later chunks are then taken and dropped
 * unplanned (the run is failing and stops reading), so the reading thread is never left waiting.
 */
final class PlanningThread implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlanningThread.class);
    private static final List<Row> END = List.of();

    /** Plans one chunk. */
    @FunctionalInterface
    interface ChunkPlanner {
        void plan(List<Row> chunk) throws InterruptedException;
    }

    private final BlockingQueue<List<Row>> chunks;
    private final Thread thread;

    PlanningThread(String name, int capacity, ChunkPlanner planner, Consumer<String> fail) {
        this.chunks = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> {
            boolean failed = false;
            boolean interrupted = false;
            // runs until END whatever happens, so the reading thread never waits on a full queue forever
            while (true) {
                List<Row> chunk;
                try {
                    chunk = chunks.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    failed = true;
                    fail.accept("the run was interrupted");
                    continue;
                }
                if (chunk == END) {
                    break;
                }
                if (failed) {
                    continue;
                }
                try {
                    planner.plan(chunk);
                } catch (InterruptedException e) {
                    interrupted = true;
                    failed = true;
                    fail.accept("the run was interrupted");
                } catch (IllegalArgumentException e) {
                    failed = true;
                    fail.accept(e.getMessage());
                } catch (Throwable e) {   // an Error too: the run must fail, not hang
                    failed = true;
                    LOG.error("Planning a chunk of rows failed ({})", name, e);
                    fail.accept(String.valueOf(e.getMessage()));
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a chunk; waits while {@code capacity} chunks are waiting already. */
    void submit(List<Row> chunk) throws InterruptedException {
        if (!chunk.isEmpty()) {
            chunks.put(chunk);
        }
    }

    /** Waits until every submitted chunk has been planned (or dropped after a failure). */
    @Override
    public void close() throws InterruptedException {
        chunks.put(END);
        thread.join();
    }
}
