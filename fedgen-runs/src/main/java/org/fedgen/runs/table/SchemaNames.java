package org.fedgen.runs.table;

import java.util.Arrays;

/** The lowercase names schema files give enum constants (column types, missing policies). */
final class SchemaNames {
    private SchemaNames() {
    }

    /**
     * The constant whose {@code toString()} is {@code name}.
     *
     * @param what what the constants are, for the message (e.g. "column type")
     * @throws IllegalArgumentException naming the unknown name and the valid ones
     */
    static <E extends Enum<E>> E parse(E[] values, String name, String what) {
        for (E v : values) {
            if (v.toString().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; valid: " + Arrays.toString(values));
    }
}
