package org.fedgen.core.aggregate;

import org.fedgen.core.Aggregator;

/**
 * An aggregator that wraps another one (server optimizer, robust filter, ...). Exposing the wrapped aggregator lets
 * checks walk the whole chain, e.g. to find a DP aggregator and any rule around it that looks at individual updates.
 */
public interface AggregatorDecorator {
    /** The wrapped aggregator. */
    Aggregator inner();
}
