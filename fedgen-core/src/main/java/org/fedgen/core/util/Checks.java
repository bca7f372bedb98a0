package org.fedgen.core.util;

/**
 * Argument checks shared by the configuration builders of every module, so that a bad value is refused with the same
 * kind of message (naming the value) wherever it enters.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Refuses a value that breaks a condition.
     *
     * @throws IllegalArgumentException with {@code message} when {@code ok} is false
     */
    public static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns {@code v} if it is at least 1.
     *
     * @throws IllegalArgumentException "{@code name} must be &gt;= 1, got v" otherwise
     */
    public static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
        return v;
    }

    /**
     * Returns {@code v} if it is finite and ≥ 0.
     *
     * @throws IllegalArgumentException "{@code name} must be finite and &gt;= 0, got v" otherwise (NaN included)
     */
    public static double finiteNonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /**
     * Returns {@code v} if it is finite and &gt; 0.
     *
     * @throws IllegalArgumentException "{@code name} must be finite and &gt; 0, got v" otherwise (NaN included)
     */
    public static double finitePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
        return v;
    }
}
