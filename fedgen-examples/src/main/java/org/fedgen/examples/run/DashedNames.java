package org.fedgen.examples.run;

import java.util.Arrays;
import picocli.CommandLine.TypeConversionException;

/** CLI names of enum constants: {@code trimmed_mean} is written {@code trimmed-mean}. */
final class DashedNames {
    private DashedNames() {
    }

    /** The CLI name of a constant. */
    static String of(Enum<?> e) {
        return e.name().replace('_', '-');
    }

    /** The constant whose CLI name is {@code value}; otherwise an error naming the option and the choices. */
    static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(value)) {
                return e;
            }
        }
        throw new TypeConversionException(option + " must be one of " + Arrays.toString(type.getEnumConstants())
                + ", got '" + value + "'");
    }
}
