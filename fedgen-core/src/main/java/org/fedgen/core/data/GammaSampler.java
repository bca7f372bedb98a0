package org.fedgen.core.data;

import java.util.SplittableRandom;

/**
 * Gamma(shape, 1) variates by Marsaglia and Tsang (2000), "A simple method for generating gamma variables", on a
 * {@link SplittableRandom}, with normals by the Box–Muller transform. {@link StrictMath} keeps the results
 * bit-identical across JVMs and CPUs.
 *
 * <p>Shapes below 1 use the boost {@code G(a) = G(a + 1) · U^(1/a)}. The sampler returns the logarithm so that tiny
 * shapes, where {@code U^(1/a)} underflows to 0, still give usable values (normalise with log-sum-exp).
 */
final class GammaSampler {
    private GammaSampler() {
    }

    /**
     * The natural log of one Gamma(shape, 1) variate.
     *
     * @throws IllegalArgumentException if the shape is not positive and finite
     */
    static double logSample(SplittableRandom rng, double shape) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("gamma shape must be > 0 and finite, got " + shape);
        }
        if (shape < 1) {
            double boost = StrictMath.log(openUnit(rng)) / shape;
            return logSampleAtLeastOne(rng, shape + 1) + boost;
        }
        return logSampleAtLeastOne(rng, shape);
    }

    /** One Gamma(shape, 1) variate (may underflow to 0 for shapes far below 1; prefer {@link #logSample}). */
    static double sample(SplittableRandom rng, double shape) {
        return StrictMath.exp(logSample(rng, shape));
    }

    private static double logSampleAtLeastOne(SplittableRandom rng, double shape) {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / StrictMath.sqrt(9.0 * d);
        while (true) {
            double x = normal(rng);
            double t = 1.0 + c * x;
            if (t <= 0) {
                continue;
            }
            double v = t * t * t;
            double u = openUnit(rng);
            double x2 = x * x;
            // The squeeze avoids the two logarithms for about 98% of candidates.
            if (u < 1.0 - 0.0331 * x2 * x2
                    || StrictMath.log(u) < 0.5 * x2 + d * (1.0 - v + StrictMath.log(v))) {
                return StrictMath.log(d) + StrictMath.log(v);
            }
        }
    }

    /** A standard normal variate by Box–Muller (the second variate of the pair is discarded to stay stateless). */
    private static double normal(SplittableRandom rng) {
        double u1 = openUnit(rng);
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Uniform in (0, 1], safe for a logarithm. */
    private static double openUnit(SplittableRandom rng) {
        return 1.0 - rng.nextDouble();
    }
}
