package org.fedgen.models.ddpm;

import java.util.Locale;

/**
 * The classifier-free guidance weight as a function of the step: w_t for step t of T, given the guidance weight w
 * ({@link Ddpm.Builder#guidance}). Guidance at high noise is what picks the class (leaving it out there lets samples
 * drift to other digits) and also what narrows each class to a few styles (Kynkäänniemi et al. 2024), so a schedule
 * that guides the highest-noise steps less than the middle ones trades between the two; Wang et al. (2024, "Analysis of
 * classifier-free guidance weight schedulers") found weights that grow as the noise falls better than a constant one.
 * A weight of exactly 0 at a step gives the conditional prediction itself there, bit for bit, as outside a
 * {@link GuidanceInterval}.
 *
 * <p>Shapes, in the spelling {@link #parse} reads and {@code toString()} writes:
 * <ul>
 * <li>{@code constant}: w at every step (the default).</li>
 * <li>{@code step:S,W}: W at the steps with t &gt; S·T, w at the others.</li>
 * <li>{@code linear:W}: from W at t = T to w at t = 0 along a straight line, w + (W − w)·t/T.</li>
 * <li>{@code cosine:W}: from W at t = T to w at t = 0 along a half cosine, w + (W − w)·(1 − cos(π t/T))/2, which
 * stays near w longer at low noise and near W longer at high noise.</li>
 * </ul>
 * Wang et al.'s increasing linear and cosine schedules of mean w are {@code linear:0} and {@code cosine:0} with
 * guidance 2w.
 */
public sealed interface GuidanceSchedule {
    /** w at every step. */
    GuidanceSchedule CONSTANT = new Constant();

    /**
     * The guidance weight at step t.
     *
     * @param w          the guidance weight the schedule is built around (&ge; 0)
     * @param t          the step, 1-based
     * @param totalSteps T of the noise schedule
     * @return w_t &ge; 0
     */
    double weight(double w, int t, int totalSteps);

    /**
     * Reads {@code constant}, {@code step:S,W}, {@code linear:W} or {@code cosine:W}.
     *
     * @throws IllegalArgumentException naming the spelling or the value that is wrong
     */
    static GuidanceSchedule parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String shape = colon < 0 ? s : s.substring(0, colon);
        String[] args = colon < 0 ? new String[0] : s.substring(colon + 1).split(",", -1);
        return switch (shape) {
            case "constant" -> {
                arity(spec, args, 0);
                yield CONSTANT;
            }
            case "step" -> {
                arity(spec, args, 2);
                yield new Step(number(spec, args[0]), number(spec, args[1]));
            }
            case "linear" -> {
                arity(spec, args, 1);
                yield new Ramp(false, number(spec, args[0]));
            }
            case "cosine" -> {
                arity(spec, args, 1);
                yield new Ramp(true, number(spec, args[0]));
            }
            default -> throw new IllegalArgumentException("unknown guidance schedule '" + spec
                    + "'; valid: constant, step:S,W, linear:W, cosine:W");
        };
    }

    private static void arity(String spec, String[] args, int n) {
        if (args.length != n) {
            throw new IllegalArgumentException("guidance schedule '" + spec + "' needs " + n + " number"
                    + (n == 1 ? "" : "s") + " after the shape, got " + args.length);
        }
    }

    private static double number(String spec, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("guidance schedule '" + spec + "': '" + v + "' is not a number", e);
        }
    }

    private static double weightAtLeastZero(double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("guidance schedule weight must be finite and >= 0, got " + weight);
        }
        return weight;
    }

    /** w at every step. */
    record Constant() implements GuidanceSchedule {
        @Override
        public double weight(double w, int t, int totalSteps) {
            return w;
        }

        @Override
        public String toString() {
            return "constant";
        }
    }

    /**
     * {@code high} at the steps with t &gt; above·T, w at the others.
     *
     * @param above the fraction of T above which {@code high} applies, in [0, 1]
     * @param high  the weight there, finite and &ge; 0
     */
    record Step(double above, double high) implements GuidanceSchedule {
        /** @throws IllegalArgumentException unless 0 &le; above &le; 1 and high is finite and &ge; 0 */
        public Step {
            if (!(above >= 0 && above <= 1)) {
                throw new IllegalArgumentException("guidance schedule step needs 0 <= S <= 1 (a fraction of T), got "
                        + above);
            }
            weightAtLeastZero(high);
        }

        @Override
        public double weight(double w, int t, int totalSteps) {
            return t > above * totalSteps ? high : w;
        }

        @Override
        public String toString() {
            return "step:" + above + "," + high;
        }
    }

    /**
     * From {@code top} at t = T to w at t = 0, linearly or along a half cosine.
     *
     * @param cosine half cosine rather than straight line
     * @param top    the weight at t = T, finite and &ge; 0
     */
    record Ramp(boolean cosine, double top) implements GuidanceSchedule {
        /** @throws IllegalArgumentException unless top is finite and &ge; 0 */
        public Ramp {
            weightAtLeastZero(top);
        }

        @Override
        public double weight(double w, int t, int totalSteps) {
            double f = (double) t / totalSteps;
            double share = cosine ? (1 - Math.cos(Math.PI * f)) / 2 : f;
            return w + (top - w) * share;
        }

        @Override
        public String toString() {
            return (cosine ? "cosine:" : "linear:") + top;
        }
    }
}
