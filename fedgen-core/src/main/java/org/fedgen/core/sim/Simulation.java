package org.fedgen.core.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GeneratorScore;
import org.fedgen.core.GlobalEvaluator;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundListener;
import org.fedgen.core.Server;
import org.fedgen.core.ServerStep;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federated training of N virtual clients in one JVM: each client is a data shard (plus the parts it must keep), and
 * W worker threads each own one model instance into which a client's starting parameters are loaded. Updates are
 * aggregated in client-id order, so for a given seed the final state is bit-identical for any W.
 *
 * <p>Clients with no training examples are left out of the population with a warning.
 */
public final class Simulation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    private static final String CLIENT_STATE = Server.RUN_STATE_PREFIX + "client/";

    private final WorkerPool<TrainableModel> pool;
    private final Server server;
    private final List<VirtualClient> clients;

    private Simulation(Builder b) {
        Objects.requireNonNull(b.modelFactory, "model factory");
        Objects.requireNonNull(b.aggregator, "aggregator");
        if (b.clientData.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs at least one client dataset");
        }
        if (b.clientEvalData != null && b.clientEvalData.size() != b.clientData.size()) {
            throw new IllegalArgumentException(b.clientData.size() + " client training sets but "
                    + b.clientEvalData.size() + " evaluation sets");
        }
        this.pool = new WorkerPool<>(b.workers, b.modelFactory);
        Set<String> localOnly = b.aggregator instanceof PartPolicy p ? p.localOnly() : Set.of();
        List<VirtualClient> cs = new ArrayList<>();
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < b.clientData.size(); i++) {
            Dataset d = b.clientData.get(i);
            if (d.size() == 0) {
                empty.add(i);
                continue;
            }
            cs.add(new VirtualClient(i, d, b.clientEvalData == null ? null : b.clientEvalData.get(i), pool,
                    b.generatorScore, localOnly));
        }
        if (!empty.isEmpty()) {
            // Name at most 20: with thousands of small clients the full list would be one enormous log line.
            LOG.warn("{} clients have no training examples and are left out of the population ({} of {} remain): {}",
                    empty.size(), cs.size(), b.clientData.size(), empty.size() <= 20 ? empty
                            : empty.subList(0, 20) + " and " + (empty.size() - 20) + " more");
        }
        if (cs.isEmpty()) {
            throw new IllegalArgumentException("every client dataset is empty");
        }
        this.clients = List.copyOf(cs);
        TrainableModel probe = b.modelFactory.get();
        requireFittingData(probe, cs);
        ModelState init = b.initialState;
        if (init == null) {
            init = probe.initialize(Seeds.derive(b.seed, "init"));
        }
        List<ClientProxy> proxies = new ArrayList<>();
        for (VirtualClient c : clients) {
            proxies.add(Objects.requireNonNull(b.clientLayer.apply(c), "client layer returned null"));
        }
        this.server = b.server.initialState(init).clients(proxies).aggregator(b.aggregator).build();
        LOG.info("simulation: {} clients, {} workers, aggregator {}, sampler {}, {} parameters", clients.size(),
                b.workers, b.aggregator, b.sampler, init.numParams());
    }

    /** A builder; the model factory, the aggregator and at least one non-empty client dataset are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fails at build time, naming the client, when its data do not have the features the model takes. */
    private static void requireFittingData(TrainableModel model, List<VirtualClient> clients) {
        int want = model.numFeatures();
        if (want <= 0) {
            return;
        }
        for (VirtualClient c : clients) {
            if (c.numFeatures() != want) {
                throw new IllegalArgumentException("client " + c.clientId() + "'s data have " + c.numFeatures()
                        + " features per example, but the model takes " + want);
            }
        }
    }

    /** The server that runs the rounds. */
    public Server server() {
        return server;
    }

    /** The virtual clients, ascending by id. */
    public List<VirtualClient> clients() {
        return clients;
    }

    /**
     * {@link Server#state()} and the parts each client keeps between rounds ({@code run.client/<id>/<part>}: the
     * local-only parts, the generators of IFL-GAN clients that did not adopt the global one), for a checkpoint.
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>(server.state());
        for (VirtualClient c : clients) {
            c.store().snapshot().forEach((part, v) -> s.put(CLIENT_STATE + c.clientId() + "/" + part, v));
        }
        return s;
    }

    /**
     * Restores what {@link #state()} returned, before {@link #run()}.
     *
     * @throws IllegalArgumentException naming an entry that belongs to no client or to nothing of the server
     */
    public void restoreState(Map<String, INDArray> state) {
        Map<Integer, Map<String, INDArray>> stores = new HashMap<>();
        Map<String, INDArray> rest = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(CLIENT_STATE)) {
                rest.put(k, e.getValue());
                continue;
            }
            String tail = k.substring(CLIENT_STATE.length());
            int slash = tail.indexOf('/');
            VirtualClient c = null;
            try {
                int id = slash < 1 ? -1 : Integer.parseInt(tail.substring(0, slash));
                c = clients.stream().filter(v -> v.clientId() == id).findFirst().orElse(null);
            } catch (NumberFormatException ex) {
                // reported below
            }
            if (c == null) {
                throw new IllegalArgumentException("state entry '" + k + "' names no client of this simulation");
            }
            stores.computeIfAbsent(c.clientId(), x -> new LinkedHashMap<>()).put(tail.substring(slash + 1),
                    e.getValue());
        }
        server.restoreState(rest);
        for (VirtualClient c : clients) {
            c.store().restore(stores.getOrDefault(c.clientId(), Map.of()));
        }
    }

    /** Runs all rounds and returns the final global state. */
    public ModelState run() {
        return server.run();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Builder for a {@link Simulation}. */
    public static final class Builder {
        private Supplier<? extends TrainableModel> modelFactory;
        private List<Dataset> clientData = List.of();
        private List<Dataset> clientEvalData;
        private int workers = 1;
        private Aggregator aggregator;
        private ClientSampler sampler = FixedSizeSampler.all();
        private long seed = 0;
        private ModelState initialState;
        private GeneratorScore generatorScore;
        private UnaryOperator<ClientProxy> clientLayer = UnaryOperator.identity();
        /** The round-loop settings go straight to the server's builder, which checks them. */
        private final Server.Builder server = Server.builder();

        private Builder() {
        }

        /** Creates one model per worker thread (called on that thread). */
        public Builder model(Supplier<? extends TrainableModel> v) {
            modelFactory = v;
            return this;
        }

        /** One training set per client; client ids are the list indices. */
        public Builder clientData(List<Dataset> v) {
            clientData = List.copyOf(v);
            return this;
        }

        /** One held-out set per client for federated evaluation (same order as the training sets). */
        public Builder clientEvalData(List<Dataset> v) {
            clientEvalData = List.copyOf(v);
            return this;
        }

        /** Worker threads, each owning one model instance (default 1); results do not depend on it. */
        public Builder workers(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + v);
            }
            workers = v;
            return this;
        }

        /**
         * See {@link Server.Builder#aggregator(Aggregator)}; a {@link PartPolicy}'s local-only parts stay on the
         * clients.
         */
        public Builder aggregator(Aggregator v) {
            aggregator = v;
            return this;
        }

        /** See {@link Server.Builder#sampler(ClientSampler)}. */
        public Builder sampler(ClientSampler v) {
            sampler = Objects.requireNonNull(v, "sampler");
            server.sampler(v);
            return this;
        }

        /** See {@link Server.Builder#rounds(int)}. */
        public Builder rounds(int v) {
            server.rounds(v);
            return this;
        }

        /** The run seed: of the initial state (unless given) and of every choice the server makes. */
        public Builder seed(long v) {
            seed = v;
            server.seed(v);
            return this;
        }

        /** See {@link Server.Builder#fitInstructions(FitInstructions)}. */
        public Builder fitInstructions(FitInstructions v) {
            server.fitInstructions(v);
            return this;
        }

        /** Start from this state instead of a fresh initialisation (e.g. a restored checkpoint). */
        public Builder initialState(ModelState v) {
            initialState = v;
            return this;
        }

        /** See {@link Server.Builder#roundTimeout(Duration)}. */
        public Builder roundTimeout(Duration v) {
            server.roundTimeout(v);
            return this;
        }

        /** See {@link Server.Builder#serverStep(ServerStep)}. */
        public Builder serverStep(ServerStep v) {
            server.serverStep(v);
            return this;
        }

        /** See {@link Server.Builder#evaluator(GlobalEvaluator, int)}. */
        public Builder evaluator(GlobalEvaluator v, int every) {
            server.evaluator(v, every);
            return this;
        }

        /** See {@link Server.Builder#federatedEvaluation(int)}. */
        public Builder federatedEvaluation(int every) {
            server.federatedEvaluation(every);
            return this;
        }

        /** How clients score their generator when the MMD aggregator asks (required for it). */
        public Builder generatorScore(GeneratorScore v) {
            generatorScore = v;
            return this;
        }

        /**
         * A layer every virtual client is wrapped in before the server sees it, e.g. the client side of secure
         * aggregation that masks each update, or simulated attackers ({@link org.fedgen.core.attack.PoisonedClient});
         * the default is none. It must keep the client's id.
         */
        public Builder clientLayer(UnaryOperator<ClientProxy> v) {
            clientLayer = Objects.requireNonNull(v, "clientLayer");
            return this;
        }

        /** See {@link Server.Builder#maxClientWeight(double)}; claims are always capped at the shard sizes. */
        public Builder maxClientWeight(double v) {
            server.maxClientWeight(v);
            return this;
        }

        /** See {@link Server.Builder#listener(RoundListener)}. */
        public Builder listener(RoundListener v) {
            server.listener(v);
            return this;
        }

        /**
         * See {@link Server.Builder#streamingWindow(int)}: with a window of a few times the worker count, a finished
         * client's update is folded and released as soon as every lower id has been, instead of waiting for the round.
         */
        public Builder streamingWindow(int window) {
            server.streamingWindow(window);
            return this;
        }

        /** See {@link Server.Builder#maxFailedRounds(int)}. */
        public Builder maxFailedRounds(int v) {
            server.maxFailedRounds(v);
            return this;
        }

        /** See {@link Server.Builder#privateOutputs}. */
        public Builder privateOutputs(org.fedgen.core.privacy.PrivateOutputs v) {
            server.privateOutputs(v);
            return this;
        }

        /**
         * Builds the clients, the worker pool and the server; fails, naming the client, if any data do not fit the
         * model.
         */
        public Simulation build() {
            return new Simulation(this);
        }
    }
}
