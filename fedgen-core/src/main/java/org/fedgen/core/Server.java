package org.fedgen.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.privacy.PrivacyGuarantee;
import org.fedgen.core.privacy.PrivateOutputs;
import org.fedgen.core.privacy.PrivateRunSetup;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the federated round loop: sample clients → send the global state and instructions through each
 * {@link ClientProxy} → collect updates with a deadline → validate → aggregate (in client-id order) → optional
 * {@link ServerStep} → evaluate → notify {@link RoundListener}s.
 *
 * <p>Clients are untrusted: besides {@link UpdateValidator}'s structural checks, aggregators that use client reports
 * ({@link ChecksClientReports}) reject unusable ones, and claimed example counts are bounded by {@link ClaimBounds}
 * (registered sizes, an optional maximum share) before any aggregator sees them.
 *
 * <p>Every random choice derives from the run seed, the round and the client id, so the result does not depend on
 * how many threads run the clients or on the order in which they finish.
 *
 * <p>With {@link Builder#privateOutputs} the round results, their metrics and the log carry only what
 * {@link PrivateOutputs} lets through. Every {@link PrivacyGuarantee} among the aggregators checks the setup when the
 * server is built.
 */
public final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** The prefix of checkpoint state entries that belong to the run rather than to the aggregator. */
    public static final String RUN_STATE_PREFIX = "run.";
    private static final String STEP_STATE = RUN_STATE_PREFIX + "step/";
    private static final String KEEPS_STATE = RUN_STATE_PREFIX + "keeps/";
    private static final String FAILED_STATE = RUN_STATE_PREFIX + "failed_rounds";

    private final List<ClientProxy> clients;
    private final List<Integer> clientIds;
    private final Aggregator aggregator;
    private final ClientSampler sampler;
    private final int rounds;
    private final long seed;
    private final FitInstructions fitTemplate;
    private final Duration roundTimeout;
    private final ServerStep serverStep;
    private final GlobalEvaluator evaluator;
    private final int evaluateEvery;
    private final int federatedEvaluateEvery;
    private final List<RoundListener> listeners;
    private final int streamingWindow;
    private final int maxFailedRounds;
    private int failedRounds;
    private final PrivateOutputs privateOutputs;
    private final ClaimBounds claims;
    private final List<ChecksClientReports> reportChecks;
    private final Map<Integer, Set<String>> resumeDecisions = new HashMap<>();
    private final List<RoundResult> history = new ArrayList<>();
    private ModelState global;

    private Server(Builder b) {
        this.global = Objects.requireNonNull(b.initialState, "initialState");
        this.aggregator = Objects.requireNonNull(b.aggregator, "aggregator");
        if (b.clients.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one client");
        }
        TreeMap<Integer, ClientProxy> byId = new TreeMap<>();
        for (ClientProxy c : b.clients) {
            if (byId.put(c.clientId(), c) != null) {
                throw new IllegalArgumentException("duplicate client id " + c.clientId());
            }
        }
        this.clients = List.copyOf(byId.values());
        this.clientIds = List.copyOf(byId.keySet());
        this.sampler = b.sampler;
        if (b.rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, got " + b.rounds);
        }
        this.rounds = b.rounds;
        this.seed = b.seed;
        this.fitTemplate = b.fitTemplate;
        this.roundTimeout = b.roundTimeout;
        this.serverStep = b.serverStep;
        this.evaluator = b.evaluator;
        this.evaluateEvery = b.evaluateEvery;
        this.federatedEvaluateEvery = b.federatedEvaluateEvery;
        this.listeners = List.copyOf(b.listeners);
        this.streamingWindow = b.streamingWindow;
        this.maxFailedRounds = b.maxFailedRounds;
        this.privateOutputs = b.privateOutputs;
        PrivateRunSetup setup = new PrivateRunSetup(aggregator, sampler, global, clients.size(),
                federatedEvaluateEvery > 0, privateOutputs);
        for (PrivacyGuarantee g : AggregatorChain.findAll(aggregator, PrivacyGuarantee.class)) {
            g.checkRun(setup);
        }
        Map<Integer, java.util.OptionalLong> sizes = new HashMap<>();
        for (ClientProxy c : clients) {
            sizes.put(c.clientId(), c.registeredExamples());
        }
        this.claims = new ClaimBounds(sizes, b.maxClientWeight);
        if (streamingWindow > 0 && b.maxClientWeight < 1) {
            throw new IllegalArgumentException("a maximum client weight share (" + b.maxClientWeight + ") needs every"
                    + " claim of the round before any update is weighted; it cannot be combined with streaming"
                    + " aggregation (window " + streamingWindow + ")");
        }
        this.reportChecks = AggregatorChain.findAll(aggregator, ChecksClientReports.class);
    }

    private String reportRejection(ClientUpdate u) {
        for (ChecksClientReports c : reportChecks) {
            String r = c.reportRejection(u);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * Everything a checkpoint must hold to continue this server's run besides the global state: the aggregator's
     * {@link Aggregator#state()} under its own keys, and under {@value #RUN_STATE_PREFIX} the server step's state
     * ({@code run.step/}), which clients keep their own copy of which parts ({@code run.keeps/<id>/<part>}, the
     * MMD aggregator's decisions) and the count of consecutive failed rounds ({@code run.failed_rounds}). Entries
     * that would be empty are left out.
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>(aggregator.state());
        if (serverStep != null) {
            serverStep.state().forEach((k, v) -> s.put(STEP_STATE + k, v));
        }
        new TreeMap<>(resumeDecisions).forEach((id, parts) -> {
            for (String p : parts) {
                s.put(KEEPS_STATE + id + "/" + p, Nd4j.ones(DataType.FLOAT, 1));
            }
        });
        if (failedRounds > 0) {
            // Exact in float32: the count stays below maxFailedRounds.
            s.put(FAILED_STATE, Nd4j.createFromArray((float) failedRounds));
        }
        return s;
    }

    /**
     * Restores what {@link #state()} returned, before {@link #run()} continues from the checkpoint's round.
     *
     * @throws IllegalArgumentException naming an entry that belongs to nothing of this server
     */
    public void restoreState(Map<String, INDArray> state) {
        Map<String, INDArray> step = new LinkedHashMap<>();
        Map<Integer, Set<String>> keeps = new HashMap<>();
        int failed = 0;
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(STEP_STATE)) {
                step.put(k.substring(STEP_STATE.length()), e.getValue());
            } else if (k.startsWith(KEEPS_STATE)) {
                String rest = k.substring(KEEPS_STATE.length());
                int slash = rest.indexOf('/');
                int id;
                try {
                    id = slash < 1 ? -1 : Integer.parseInt(rest.substring(0, slash));
                } catch (NumberFormatException ex) {
                    id = -1;
                }
                if (!clientIds.contains(id)) {
                    throw new IllegalArgumentException("state entry '" + k + "' names no client of this server");
                }
                keeps.computeIfAbsent(id, x -> new LinkedHashSet<>()).add(rest.substring(slash + 1));
            } else if (k.equals(FAILED_STATE)) {
                failed = (int) e.getValue().getDouble(0);
            } else if (k.startsWith(RUN_STATE_PREFIX)) {
                throw new IllegalArgumentException("unknown run state entry '" + k + "'");
            }
        }
        aggregator.restoreState(aggregatorEntries(state));
        if (!step.isEmpty() || serverStep != null) {
            if (serverStep == null) {
                throw new IllegalArgumentException("state for a server step " + step.keySet()
                        + ", but this server has none");
            }
            serverStep.restoreState(step);
        }
        resumeDecisions.clear();
        resumeDecisions.putAll(keeps);
        failedRounds = failed;
    }

    /** The aggregator's entries of a {@link #state()} map (those not under {@value #RUN_STATE_PREFIX}). */
    public static Map<String, INDArray> aggregatorEntries(Map<String, INDArray> state) {
        Map<String, INDArray> a = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (!k.startsWith(RUN_STATE_PREFIX)) {
                a.put(k, v);
            }
        });
        return a;
    }

    /** A builder; {@code initialState}, {@code aggregator} and at least one client are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The current global state. */
    public ModelState global() {
        return global;
    }

    /**
     * Results of the rounds run so far. Only the latest keeps its global state: the earlier ones keep metrics and
     * rejections, so a long run does not hold one model copy per round.
     */
    public List<RoundResult> history() {
        return List.copyOf(history);
    }

    /** The number of clients (W). */
    public int populationSize() {
        return clients.size();
    }

    /**
     * Runs rounds {@code global().round() + 1} to {@code rounds}, stopping early if a listener refuses a round.
     *
     * @return the final global state
     * @throws RunFailedException if every sampled client failed or was rejected in
     *                            {@link Builder#maxFailedRounds(int) maxFailedRounds} consecutive rounds, or the
     *                            aggregator or server step returned non-finite values
     */
    public ModelState run() {
        RuntimeException failure = null;
        try {
            for (long r = global.round() + 1; r <= rounds; r++) {
                if (!approve(r)) {
                    LOG.info("run stopped before round {} by a listener", r);
                    break;
                }
                runRound(r);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            for (RoundListener l : listeners) {
                try {
                    l.onRunEnd(global);
                } catch (RuntimeException e) {
                    // the run's own failure is what the caller must see; a listener's is attached to it
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
        return global;
    }

    private boolean approve(long round) {
        boolean ok = true;
        for (RoundListener l : listeners) {
            ok &= l.beforeRound(round);
        }
        return ok;
    }

    /** Runs one round and returns its result; listeners are notified. */
    public RoundResult runRound(long round) {
        long t0 = System.nanoTime();
        List<Integer> sampled = sampler.sample(clientIds, round,
                new SplittableRandom(Seeds.derive(seed, "sample", round)));
        FitInstructions base = aggregator.configureRound(fitTemplate.toBuilder().round(round).build(), global,
                sampled);

        Map<Integer, FitInstructions> sent = new LinkedHashMap<>();
        Map<Integer, CompletableFuture<ClientUpdate>> futures = new LinkedHashMap<>();
        long bytesDown = 0;
        for (int id : sampled) {
            FitInstructions ins = instructionsFor(base, id, round);
            sent.put(id, ins);
            bytesDown += downloadBytes(ins);
            if (streamingWindow == 0) {
                futures.put(id, proxy(id).fit(global, ins));
            }
        }

        long deadline = roundTimeout == null ? Long.MAX_VALUE : t0 + roundTimeout.toNanos();
        RoundContext ctx = new RoundContext(round, Seeds.derive(seed, "aggregate", round), clients.size(),
                sampler.expectedClients(clients.size()), sampled);
        StreamingRound streamed = streamingWindow == 0 ? null
                : new StreamingRound(StreamingAggregator.of(aggregator), global, ctx, sent,
                        (id, ins) -> proxy(id).fit(global, ins), streamingWindow, deadline);
        List<ClientUpdate> accepted = new ArrayList<>();
        List<ClientUpdate> received = new ArrayList<>();
        Map<Integer, String> rejections = new LinkedHashMap<>();
        int failed = 0;
        int streamedBounded = 0;
        int timedOut = 0;
        int rejected = 0;
        long bytesUp = 0;
        for (int id : sampled) {
            Map.Entry<Integer, CompletableFuture<ClientUpdate>> e = streamed == null
                    ? Map.entry(id, futures.get(id)) : streamed.next(id);
            ClientUpdate u;
            try {
                long wait = Math.max(0, deadline - System.nanoTime());
                u = deadline == Long.MAX_VALUE ? e.getValue().get() : e.getValue().get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                timedOut++;
                rejections.put(id, "timed out after " + roundTimeout);
                if (privateOutputs == null) {
                    LOG.warn("round {}: client {} timed out", round, id);
                }
                continue;
            } catch (ExecutionException ex) {
                failed++;
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                rejections.put(id, "failed: " + cause);
                if (privateOutputs == null) {
                    LOG.warn("round {}: client {} failed: {}", round, id, cause.toString());
                    LOG.debug("round {}: client {} failure", round, id, cause);
                }
                continue;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for client " + id, ex);
            }
            if (u != null) {
                bytesUp += u.numBytes();
                received.add(u);
            }
            String reason = UpdateValidator.rejectionReason(u, id, round, global, sent.get(id));
            if (reason == null) {
                reason = reportRejection(u);
            }
            if (reason != null) {
                rejected++;
                rejections.put(id, "rejected: " + reason);
                if (privateOutputs == null) {
                    LOG.warn("round {}: rejected update of client {}: {}", round, id, reason);
                }
            } else {
                if (streamed != null) {
                    // Folded now, so only the per-client cap applies (the share bound needs every claim: buffered).
                    long n = claims.bounded(id, u.numExamples());
                    if (n != u.numExamples()) {
                        u = u.withNumExamples(n);
                        streamedBounded++;
                    }
                }
                accepted.add(u);
            }
            if (streamed != null) {
                streamed.settle(u, reason == null, accepted, received);
            }
        }

        int bounded = streamedBounded;
        if (streamed == null) {
            List<ClientUpdate> claimed = accepted;
            accepted = claims.apply(claimed);
            for (int i = 0; i < accepted.size(); i++) {
                bounded += accepted.get(i) != claimed.get(i) ? 1 : 0;
            }
        }
        if (bounded > 0) {
            LOG.warn("round {}: example counts of {} clients lowered to the server's bound", round, bounded);
        }
        ModelState next;
        boolean aggregationFailed = false;
        String aggregationError = null;
        try {
            next = checkedResult(streamed != null ? streamed.finish() : aggregator.aggregate(global, accepted, ctx),
                    "aggregator " + aggregator,
                    round, " (the accepted client updates were all finite)");
        } catch (AggregationFailedException ex) {
            // The round is lost, not the run: the global state stays as it was.
            LOG.warn("round {}: aggregation failed, global state unchanged: {}", round, ex.getMessage());
            next = global;
            aggregationFailed = true;
            aggregationError = ex.getMessage();
        }
        if (!sampled.isEmpty() && (accepted.isEmpty() || aggregationFailed)) {
            failedRounds++;
            if (failedRounds >= maxFailedRounds) {
                throw new RunFailedException("round " + round + ": " + (aggregationFailed
                        ? "no update could be aggregated in " + failedRounds + " consecutive rounds; last round: "
                                + aggregationError
                        : "every sampled client failed or was rejected in " + failedRounds
                                + " consecutive rounds; last round: " + firstReasons(rejections)));
            }
        } else {
            failedRounds = 0;
        }
        if (serverStep != null && !aggregationFailed) {
            next = checkedResult(serverStep.apply(next, ctx), "server step " + serverStep, round, "");
        }
        global = next.withRound(round);
        ctx.resumeDecisions().forEach((id, parts) -> {
            if (parts.isEmpty()) {
                resumeDecisions.remove(id);
            } else {
                resumeDecisions.put(id, parts);
            }
        });

        Map<String, Double> m = new LinkedHashMap<>();
        m.put("round", (double) round);
        m.put("sampled", (double) sampled.size());
        m.put("accepted", (double) accepted.size());
        m.put("rejected", (double) rejected);
        m.put("failed", (double) failed);
        m.put("timed_out", (double) timedOut);
        if (aggregationFailed) {
            m.put("aggregation_failed", 1.0);
        }
        long examples = 0;
        for (ClientUpdate u : accepted) {
            examples += u.numExamples();
        }
        m.put("examples", (double) examples);
        if (bounded > 0) {
            m.put("claims_bounded", (double) bounded);
        }
        m.put("bytes_down", (double) bytesDown);
        m.put("bytes_up", (double) bytesUp);
        m.putAll(clientMetricMeans(accepted));
        m.putAll(ctx.metrics());
        if (federatedEvaluateEvery > 0 && (round % federatedEvaluateEvery == 0 || round == rounds)) {
            m.putAll(federatedEvaluation(sampled, round));
        }
        Set<String> safe = new LinkedHashSet<>(ctx.safeMetricNames());
        if (evaluator != null && (round % evaluateEvery == 0 || round == rounds)) {
            Map<String, Double> evaluation = evaluator.evaluate(global, round);
            m.putAll(evaluation);
            safe.addAll(evaluation.keySet());
        }
        m.put("wall_ms", (System.nanoTime() - t0) / 1e6);
        if (privateOutputs != null) {
            m = privateOutputs.filter(m, safe);
            rejections.clear();
        }
        RoundResult result = new RoundResult(round, global, m, rejections);
        if (!history.isEmpty()) {
            history.set(history.size() - 1, history.get(history.size() - 1).withoutState());
        }
        history.add(result);
        if (privateOutputs == null) {
            LOG.info("round {}/{}: {} of {} clients accepted, loss {}, {} ms", round, rounds, accepted.size(),
                    sampled.size(), String.format("%.4f", m.getOrDefault("client_loss", Double.NaN)),
                    String.format("%.0f", m.get("wall_ms")));
        } else {
            LOG.info("round {}/{} done (private run: client-derived values withheld)", round, rounds);
        }
        for (RoundListener l : listeners) {
            l.onRoundEnd(result);
        }
        releasePayloads(received);
        return result;
    }

    /**
     * Frees the native memory of this round's payloads now rather than whenever the GC runs (a small Java heap holds
     * gigabytes of native buffers otherwise). Arrays the new global state still uses are kept.
     */
    private void releasePayloads(List<ClientUpdate> received) {
        Set<INDArray> live = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        live.addAll(global.parts().values());
        for (ClientUpdate u : received) {
            for (INDArray a : u.parts().values()) {
                if (!live.contains(a) && a.closeable() && !a.wasClosed()) {
                    a.close();
                }
            }
        }
    }

    private ClientProxy proxy(int id) {
        return clients.get(clientIds.indexOf(id));
    }

    private FitInstructions instructionsFor(FitInstructions base, int id, long round) {
        Set<String> resume = new LinkedHashSet<>(base.resumeParts());
        resume.addAll(resumeDecisions.getOrDefault(id, Set.of()));
        return base.toBuilder().seed(Seeds.derive(seed, "client", round, id)).resumeParts(resume).build();
    }

    /** Parts the client starts from its own copy of need not be downloaded; SCAFFOLD's server control must. */
    private long downloadBytes(FitInstructions ins) {
        long n = 0;
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            if (!ins.resumeParts().contains(e.getKey())) {
                n += e.getValue().length() * Float.BYTES;
            }
        }
        for (INDArray c : ins.serverControl().values()) {
            n += c.length() * Float.BYTES;
        }
        return n;
    }

    /** The first few rejection reasons, "client id: reason", so a stopped run says why without a wall of text. */
    private static String firstReasons(Map<Integer, String> rejections) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<Integer, String> e : rejections.entrySet()) {
            if (shown == 2) {
                sb.append("; and ").append(rejections.size() - shown).append(" more");
                break;
            }
            sb.append(shown > 0 ? "; " : "").append("client ").append(e.getKey()).append(' ').append(e.getValue());
            shown++;
        }
        return sb.toString();
    }

    private ModelState checkedResult(ModelState result, String who, long round, String note) {
        if (result == null) {
            throw new IllegalStateException(who + " returned null");
        }
        for (Map.Entry<String, INDArray> e : result.parts().entrySet()) {
            if (!org.fedgen.core.util.Vectors.allFinite(e.getValue())) {
                throw new RunFailedException("round " + round + ": " + who + " returned NaN or infinite values in "
                        + "part '" + e.getKey() + "'" + note);
            }
        }
        for (Map.Entry<String, INDArray> e : global.parts().entrySet()) {
            if (!result.has(e.getKey())) {
                throw new IllegalStateException(who + " dropped part '" + e.getKey() + "'");
            }
            if (result.part(e.getKey()).length() != e.getValue().length()) {
                throw new IllegalStateException(who + " returned part '" + e.getKey() + "' of length "
                        + result.part(e.getKey()).length() + ", expected " + e.getValue().length());
            }
        }
        return result;
    }

    private static Map<String, Double> clientMetricMeans(List<ClientUpdate> accepted) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (ClientUpdate u : accepted) {
            for (Map.Entry<String, Double> e : u.metrics().entrySet()) {
                if (Double.isFinite(e.getValue())) {
                    double[] s = acc.computeIfAbsent(e.getKey(), k -> new double[2]);
                    s[0] += u.numExamples() * e.getValue();
                    s[1] += u.numExamples();
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((k, s) -> out.put("client_" + k, s[1] > 0 ? s[0] / s[1] : Double.NaN));
        return out;
    }

    private Map<String, Double> federatedEvaluation(List<Integer> sampled, long round) {
        Map<Integer, CompletableFuture<Map<String, Double>>> futures = new LinkedHashMap<>();
        for (int id : sampled) {
            futures.put(id, proxy(id).evaluate(global, new EvalInstructions(round,
                    Seeds.derive(seed, "evaluate", round, id))));
        }
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Map.Entry<Integer, CompletableFuture<Map<String, Double>>> e : futures.entrySet()) {
            Map<String, Double> r;
            try {
                r = e.getValue().get();
            } catch (ExecutionException ex) {
                LOG.warn("round {}: evaluation on client {} failed: {}", round, e.getKey(), ex.getCause().toString());
                continue;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during federated evaluation", ex);
            }
            double n = r.getOrDefault("numExamples", 0.0);
            for (Map.Entry<String, Double> me : r.entrySet()) {
                if (me.getKey().equals("numExamples") || n <= 0 || !Double.isFinite(me.getValue())) {
                    continue;
                }
                double[] s = acc.computeIfAbsent(me.getKey(),
                        k -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                s[0] += n * me.getValue();
                s[1] += n;
                s[2] = Math.min(s[2], me.getValue());
                s[3] = Math.max(s[3], me.getValue());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((k, s) -> {
            out.put("fed_" + k, s[0] / s[1]);
            out.put("fed_" + k + "_min", s[2]);
            out.put("fed_" + k + "_max", s[3]);
        });
        return out;
    }

    /** Builder for a {@link Server}; initial state, clients and aggregator are required. */
    public static final class Builder {
        private ModelState initialState;
        private final List<ClientProxy> clients = new ArrayList<>();
        private Aggregator aggregator;
        private ClientSampler sampler = FixedSizeSampler.all();
        private int rounds = 1;
        private long seed = 0;
        private FitInstructions fitTemplate = FitInstructions.builder().build();
        private Duration roundTimeout;
        private ServerStep serverStep;
        private GlobalEvaluator evaluator;
        private int evaluateEvery = 1;
        private int federatedEvaluateEvery = 0;
        private final List<RoundListener> listeners = new ArrayList<>();
        private int streamingWindow;
        private int maxFailedRounds = 3;
        private PrivateOutputs privateOutputs;
        private double maxClientWeight = 1.0;

        private Builder() {
        }

        /**
         * Consecutive rounds in which every sampled client fails or is rejected before {@link Server#run()} stops
         * with a {@link RunFailedException} (default 3). A round that samples nobody does not count.
         */
        public Builder maxFailedRounds(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxFailedRounds must be >= 1, got " + v);
            }
            maxFailedRounds = v;
            return this;
        }

        /**
         * The largest share ρ of a round's example count one client may hold after its claim is capped at its
         * registered size (see {@link ClaimBounds}); 1 (default) bounds only by registered sizes.
         */
        public Builder maxClientWeight(double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("maximum client weight share must be in (0, 1], got " + v);
            }
            maxClientWeight = v;
            return this;
        }

        /** The global state of round 0 (or of the round a restored run continues from); required. */
        public Builder initialState(ModelState v) {
            initialState = v;
            return this;
        }

        /** Adds clients; ids must be unique, and every round visits them in id order. */
        public Builder clients(List<? extends ClientProxy> v) {
            clients.addAll(v);
            return this;
        }

        /** How accepted updates become the next global state; required. Its DP guarantees are checked at build time. */
        public Builder aggregator(Aggregator v) {
            aggregator = v;
            return this;
        }

        /** Which clients train each round (default: all), drawn from a stream derived from the seed and the round. */
        public Builder sampler(ClientSampler v) {
            sampler = Objects.requireNonNull(v, "sampler");
            return this;
        }

        /** The last round to run (rounds are numbered from 1; a restored state continues after its round). */
        public Builder rounds(int v) {
            rounds = v;
            return this;
        }

        /**
         * The run seed (default 0): sampling, client, aggregation and evaluation seeds derive from it and the round.
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Instructions every client gets, before the aggregator adjusts them and the server sets round and seed. */
        public Builder fitInstructions(FitInstructions v) {
            fitTemplate = Objects.requireNonNull(v, "fitInstructions");
            return this;
        }

        /** How long a round waits for updates; late ones are dropped and counted. Null (default) waits for all. */
        public Builder roundTimeout(Duration v) {
            if (v != null && (v.isNegative() || v.isZero())) {
                throw new IllegalArgumentException("round timeout must be positive, got " + v);
            }
            roundTimeout = v;
            return this;
        }

        /** An optional step applied to the aggregated state every round, before evaluation (null: none). */
        public Builder serverStep(ServerStep v) {
            serverStep = v;
            return this;
        }

        /** A server-side evaluator run every {@code every} rounds and after the last round. */
        public Builder evaluator(GlobalEvaluator v, int every) {
            if (every < 1) {
                throw new IllegalArgumentException("evaluation interval must be >= 1, got " + every);
            }
            evaluator = v;
            evaluateEvery = every;
            return this;
        }

        /** Federated evaluation on the round's sampled clients every {@code every} rounds; 0 disables it. */
        public Builder federatedEvaluation(int every) {
            if (every < 0) {
                throw new IllegalArgumentException("federated evaluation interval must be >= 0, got " + every);
            }
            federatedEvaluateEvery = every;
            return this;
        }

        /** Adds a listener told of every round's result, in the order listeners were added. */
        public Builder listener(RoundListener v) {
            listeners.add(Objects.requireNonNull(v, "listener"));
            return this;
        }

        /**
         * Streaming aggregation: each accepted update is folded into the aggregate in client-id order as soon as every
         * lower sampled id has been folded or dropped, and its payload is released right away; at most {@code window}
         * fits are in flight, so a round holds O(window · model + aggregate) however many clients it samples. 0
         * (default) collects every update and then calls {@link Aggregator#aggregate}. Aggregators that are not a
         * {@link StreamingAggregator} (or whose {@link StreamingAggregator#streams()} is false) are buffered until the
         * round ends. Streaming rules may round differently from their buffered form (see
         * {@link StreamingAggregator}); either way the result does not depend on worker count or arrival order.
         */
        public Builder streamingWindow(int window) {
            if (window < 0) {
                throw new IllegalArgumentException("streaming window must be >= 0, got " + window);
            }
            streamingWindow = window;
            return this;
        }

        /** Publish only what {@code v} lets through (a private run); null (default) publishes every metric. */
        public Builder privateOutputs(PrivateOutputs v) {
            privateOutputs = v;
            return this;
        }

        /**
         * The server, after checking the required parts and that the setup keeps any privacy guarantee of the
         * aggregator.
         */
        public Server build() {
            return new Server(this);
        }
    }
}
