package io.rowcast.sync;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A run's counters, added to by the reading, planning and completion threads alike. */
final class RunCounts {

    private final Map<RunCounter, AtomicLong> counts = new EnumMap<>(RunCounter.class);

    RunCounts() {
        for (RunCounter c : RunCounter.values()) {
            counts.put(c, new AtomicLong());
        }
    }

    void add(RunCounter counter, long n) { counts.get(counter).addAndGet(n); }

    long get(RunCounter counter) { return counts.get(counter).get(); }

    /** The counts now, for the run record. */
    Map<RunCounter, Long> totals() {
        Map<RunCounter, Long> totals = new EnumMap<>(RunCounter.class);
        counts.forEach((c, v) -> totals.put(c, v.get()));
        return totals;
    }
}
