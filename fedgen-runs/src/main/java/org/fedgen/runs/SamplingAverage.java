package org.fedgen.runs;

import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.ExponentialMovingAverage;

/**
 * A recipe's optional server-side moving average of the global model over rounds: it wraps the run's aggregator in an
 * {@link ExponentialMovingAverage} (whose state then checkpoints with the run) and gives evaluation and samples the
 * average once there is one. Holds the last aggregator it made.
 */
final class SamplingAverage {
    private ExponentialMovingAverage ema;

    /** {@code base} wrapped in the average for a decay &gt; 0, else {@code base} itself (and no average). */
    Aggregator wrap(Aggregator base, double decay) {
        ema = decay > 0 ? new ExponentialMovingAverage(base, decay) : null;
        return ema != null ? ema : base;
    }

    /** The weights to evaluate and sample: the average when it exists, else {@code global}. */
    ModelState state(ModelState global) {
        return ema != null && ema.hasAverage() ? ema.average() : global;
    }
}
