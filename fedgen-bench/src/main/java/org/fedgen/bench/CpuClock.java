package org.fedgen.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Per-repeat wall and thread-CPU times of a piece of work, per unit of work, plus the process's and the thread's total
 * CPU time over all repeats (to check that the work ran on the timing thread).
 */
final class CpuClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final double[] wall;
    private final double[] cpu;
    double threadCpu;
    double processCpu;

    CpuClock(int repeats) {
        wall = new double[repeats];
        cpu = new double[repeats];
    }

    /** Times repeat {@code r} of {@code work}, dividing by {@code units}. */
    void time(int r, Runnable work, int units) {
        long p0 = processCpuNanos();
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work.run();
        long t1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        long p1 = processCpuNanos();
        wall[r] = (t1 - t0) / 1e6 / units;
        cpu[r] = (c1 - c0) / 1e6 / units;
        threadCpu += c1 - c0;
        processCpu += p1 - p0;
    }

    double medianWall() {
        return Timing.median(wall);
    }

    double medianCpu() {
        return Timing.median(cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
