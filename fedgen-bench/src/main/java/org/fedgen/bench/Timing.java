package org.fedgen.bench;

import java.util.Arrays;

/** Small helpers for wall-clock measurement: medians of repeated runs. */
final class Timing {
    private Timing() {
    }

    /** The median of the values (the mean of the two middle ones for an even count). */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Milliseconds that {@code work} takes. */
    static double millis(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The peak resident set size of this process in kB (VmHWM), or −1 where /proc is not readable. */
    static long peakRssKb() {
        return ProcStatus.field("VmHWM");
    }
}
