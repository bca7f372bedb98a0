package org.fedgen.examples;

/** Positional integer arguments of the example mains (rounds, clients, workers), so they can be run small. */
final class ExampleArgs {
    private ExampleArgs() {
    }

    /**
     * Argument {@code i} as a positive integer, or {@code fallback} when there are fewer arguments.
     *
     * @throws IllegalArgumentException naming the argument and its value if it is not a positive integer
     */
    static int positive(String[] args, int i, String name, int fallback) {
        if (args.length <= i) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new IllegalArgumentException(name + " must be a positive integer, got '" + args[i] + "'");
    }
}
