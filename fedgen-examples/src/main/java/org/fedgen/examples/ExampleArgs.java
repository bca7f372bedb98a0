package org.fedgen.examples;

/** Positional integer arguments of the example mains, so they can be run small. */
final class ExampleArgs {
    private ExampleArgs() {
    }

    /**
     * Argument {@code index} as an integer &gt;= 1, or {@code fallback} when there are fewer arguments.
     *
     * @throws IllegalArgumentException naming the argument when it is not an integer &gt;= 1
     */
    static int get(String[] args, int index, String name, int fallback) {
        if (args.length <= index) {
            return fallback;
        }
        int v;
        try {
            v = Integer.parseInt(args[index]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + args[index] + "'", e);
        }
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
        return v;
    }
}
