package org.fedgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExampleArgsTest {
    @Test
    void missingArgumentGivesTheDefaultAndPresentOneIsParsed() {
        assertEquals(7, ExampleArgs.positive(new String[] {"3"}, 1, "clients", 7));
        assertEquals(3, ExampleArgs.positive(new String[] {"3"}, 0, "rounds", 7));
    }

    @Test
    void zeroAndNonNumbersAreRejectedByNameAndValue() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ExampleArgs.positive(new String[] {"1", "0"}, 1, "clients", 7));
        assertEquals("clients must be a positive integer, got '0'", zero.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> ExampleArgs.positive(new String[] {"two"}, 0, "rounds", 7));
        assertEquals("rounds must be a positive integer, got 'two'", word.getMessage());
    }
}
