package org.fedgen.core.util;

/**
 * Derives independent seeds from a run seed and a path of labels and numbers, so every random choice in a run flows
 * from one seed without two choices sharing a stream (and without depending on thread timing).
 */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective mix of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A seed for the stream named {@code label} with the given coordinates (e.g. round, client id). */
    public static long derive(long seed, String label, long... coordinates) {
        long h = mix(seed + 0x9e3779b97f4a7c15L);
        for (int i = 0; i < label.length(); i++) {
            h = mix(h ^ label.charAt(i));
        }
        for (long c : coordinates) {
            h = mix(h + 0x9e3779b97f4a7c15L ^ c);
        }
        return h;
    }
}
