package org.fedgen.privacy;

/** Where DP noise comes from. */
public enum NoiseMode {
    /** Keyed from {@link java.security.SecureRandom}: the default, and the only choice that protects anyone. */
    SECURE,
    /** Keyed from the round's seed: reproducible, for tests and experiments whose seed stays private. */
    SEEDED;

    /** A noise stream; {@code seed} is used only by {@link #SEEDED}. */
    public GaussianNoise create(long seed) {
        return this == SECURE ? GaussianNoise.secure() : GaussianNoise.seeded(seed);
    }
}
