package org.fedgen.runs;

import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.ExponentialMovingAverage;
import org.fedgen.core.aggregate.IterateAverage;

/**
 * A recipe's optional server-side average of the global model over rounds: it wraps the run's aggregator in an
 * {@link ExponentialMovingAverage} or an {@link IterateAverage} (whose state then checkpoints with the run) and gives
 * evaluation and samples the average once there is one. Holds the last aggregator it made.
 */
final class SamplingAverage {
    private ExponentialMovingAverage ema;
    private IterateAverage lastTwo;

    /** {@code base} wrapped in the moving average for a decay &gt; 0, else {@code base} itself (and no average). */
    Aggregator wrap(Aggregator base, double decay) {
        lastTwo = null;
        ema = decay > 0 ? new ExponentialMovingAverage(base, decay) : null;
        return ema != null ? ema : base;
    }

    /** {@code base} wrapped in the average of its last two iterates when {@code on}, else {@code base} itself. */
    Aggregator wrapLastTwo(Aggregator base, boolean on) {
        ema = null;
        lastTwo = on ? new IterateAverage(base) : null;
        return lastTwo != null ? lastTwo : base;
    }

    /** The weights to evaluate and sample: the average when it exists, else {@code global}. */
    ModelState state(ModelState global) {
        if (ema != null && ema.hasAverage()) {
            return ema.average();
        }
        return lastTwo != null && lastTwo.hasAverage() ? lastTwo.average() : global;
    }
}
