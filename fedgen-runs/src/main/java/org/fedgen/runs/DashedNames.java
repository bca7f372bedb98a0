package org.fedgen.runs;

import java.util.Arrays;

/** CLI names of enum constants: {@code trimmed_mean} is written {@code trimmed-mean}. */
public final class DashedNames {
    private DashedNames() {
    }

    /** The CLI name of a constant. */
    public static String of(Enum<?> e) {
        return e.name().replace('_', '-');
    }

    /**
     * The constant whose CLI name is {@code value}.
     *
     * @throws IllegalArgumentException naming the option, the value and the choices
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + Arrays.toString(type.getEnumConstants())
                + ", got '" + value + "'");
    }
}
