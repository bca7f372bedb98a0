package org.fedgen.privacy.secagg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.aggregate.AggregatorDecorator;
import org.fedgen.core.aggregate.InspectsIndividualUpdates;

/**
 * Secure aggregation for an in-process federation, set up in one call: the server-side {@link #aggregator()} in
 * place of the plain rule, and the {@link #clientLayer()} that gives every client its own {@link SecAggClient},
 * reached only through messages on an {@link InProcessSecAggChannel}.
 *
 * <p>Refused: a rule that must see individual updates ({@link InspectsIndividualUpdates}: median, trimmed mean, Krum,
 * MMD weights) anywhere in the chain; a threshold above the population; more clients than the quantisation bits let
 * sum without overflow.
 */
public final class SecureAggregation {
    private final SecureAggregator aggregator;
    private final InProcessSecAggChannel channel = new InProcessSecAggChannel();
    private final SecAggConfig config;

    private SecureAggregation(SecAggConfig config, Aggregator rule, long seed) {
        this.config = config;
        this.aggregator = new SecureAggregator(rule, config, channel, seed);
    }

    /**
     * @param config     the protocol's public parameters
     * @param rule       the rule that applies the unmasked mean (FedAvg, FedProx, FedSGD, a server optimizer)
     * @param population the number of clients that may take part in a round
     * @param seed       the run seed (fixes the public neighbour graphs)
     * @throws IllegalArgumentException naming the refused rule or parameter
     */
    public static SecureAggregation of(SecAggConfig config, Aggregator rule, int population, long seed) {
        requireFeasible(config, rule, population);
        return new SecureAggregation(config, rule, seed);
    }

    /**
     * The server side alone, for clients that run their side elsewhere (in other processes, reached through
     * {@code channel}), with the same refusals as {@link #of}.
     *
     * @param channel how the server's requests reach the remote clients' sides
     * @throws IllegalArgumentException naming the refused rule or parameter
     */
    public static SecureAggregator serverSide(SecAggConfig config, Aggregator rule, int population, long seed,
            SecAggChannel channel) {
        requireFeasible(config, rule, population);
        return new SecureAggregator(rule, config, channel, seed);
    }

    private static void requireFeasible(SecAggConfig config, Aggregator rule, int population) {
        Objects.requireNonNull(config, "config");
        requireSumOnly(rule);
        if (config.threshold() > population) {
            throw new IllegalArgumentException("secure aggregation threshold " + config.threshold()
                    + " exceeds the population of " + population + " clients");
        }
        int max = config.codec().maxSummands();
        if (population > max) {
            throw new IllegalArgumentException(population + " clients, but " + config.bits() + "-bit codes in the"
                    + " 2^" + FixedPoint.RING_BITS + " ring sum without overflow for at most " + max
                    + "; use fewer quantisation bits");
        }
    }

    /**
     * Refuses a rule that looks at individual updates, wherever it sits among decorators and part routes.
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static void requireSumOnly(Aggregator rule) {
        for (Aggregator a : chain(rule)) {
            if (a instanceof InspectsIndividualUpdates) {
                throw new IllegalArgumentException("secure aggregation cannot be combined with " + a
                        + ": that rule must see individual updates, and the server sees only their sum");
            }
        }
    }

    /** Every aggregator reachable from {@code rule} through decorators and part routes, {@code rule} first. */
    static List<Aggregator> chain(Aggregator rule) {
        List<Aggregator> all = new ArrayList<>();
        Deque<Aggregator> todo = new ArrayDeque<>();
        todo.push(Objects.requireNonNull(rule, "rule"));
        while (!todo.isEmpty()) {
            Aggregator a = todo.pop();
            all.add(a);
            if (a instanceof AggregatorDecorator d) {
                todo.push(d.inner());
            }
            if (a instanceof PartPolicy p) {
                p.aggregators().forEach(todo::push);
            }
        }
        return all;
    }

    /** The server side, to use as the server's aggregator. */
    public SecureAggregator aggregator() {
        return aggregator;
    }

    /** Wraps each client proxy in a {@link MaskingClientProxy} with a fresh {@link SecAggClient} for its id. */
    public UnaryOperator<ClientProxy> clientLayer() {
        return proxy -> {
            SecAggClient c = new SecAggClient(proxy.clientId(), config);
            channel.register(c);
            return new MaskingClientProxy(proxy, c);
        };
    }
}
