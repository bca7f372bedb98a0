package org.fedgen.core;

/**
 * Thrown by an {@link Aggregator} when the round's updates cannot be turned into a new state without giving up a
 * guarantee (e.g. secure aggregation with fewer survivors than its threshold). The {@link Server} counts the round as
 * failed, keeps the global state unchanged and goes on with the next round.
 */
public class AggregationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, which the run's failure report repeats. */
    public AggregationFailedException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public AggregationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
