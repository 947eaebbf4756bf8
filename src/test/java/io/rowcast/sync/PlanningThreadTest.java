package io.rowcast.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.rowcast.warehouse.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chunks are planned in order on their own thread, and a failing planner never leaves the reader waiting. */
class PlanningThreadTest {

    private static List<Row> chunk(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(null);
        }
        return rows;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void plansEveryChunkInOrder() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        try (PlanningThread planning = new PlanningThread("test", 2, c -> sizes.add(c.size()), failures::add)) {
            for (int i = 1; i <= 20; i++) {
                planning.submit(chunk(i));
            }
        }
        assertThat(sizes).hasSize(20).isSorted().startsWith(1).endsWith(20);
        assertThat(failures).isEmpty();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void anErrorFailsTheRunAndLaterChunksDoNotBlockTheReader() throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Integer> planned = new CopyOnWriteArrayList<>();
        try (PlanningThread planning = new PlanningThread("test", 2, c -> {
            if (c.size() == 3) {
                throw new StackOverflowError("too deep");
            }
            planned.add(c.size());
        }, failures::add)) {
            for (int i = 1; i <= 20; i++) {
                planning.submit(chunk(i));   // would block forever on the full queue if the thread had died
            }
        }
        assertThat(failures).containsExactly("too deep");
        assertThat(planned).as("nothing after the failure is planned").containsExactly(1, 2);
    }
}
