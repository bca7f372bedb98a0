package org.fedgen.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.fedgen.core.aggregate.AggregatorDecorator;

/**
 * Walks an aggregator and everything it delegates to (a {@link PartPolicy}'s routes, an {@link AggregatorDecorator}'s
 * inner rule), so the server can find the rules that carry a capability wherever they sit in the chain.
 */
public final class AggregatorChain {
    private AggregatorChain() {
    }

    /** Every aggregator in the chain below {@code root} (itself included) that is a {@code type}, each once. */
    public static <T> List<T> findAll(Aggregator root, Class<T> type) {
        List<T> found = new ArrayList<>();
        Set<Aggregator> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Aggregator> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Aggregator a = todo.pop();
            if (!seen.add(a)) {
                continue;
            }
            if (type.isInstance(a)) {
                found.add(type.cast(a));
            }
            if (a instanceof PartPolicy p) {
                todo.addAll(p.aggregators());
            }
            if (a instanceof AggregatorDecorator d && d.inner() != null) {
                todo.add(d.inner());
            }
        }
        return List.copyOf(found);
    }
}
