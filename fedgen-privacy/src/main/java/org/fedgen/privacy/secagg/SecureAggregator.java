package org.fedgen.privacy.secagg;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedgen.core.AggregationFailedException;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.UpdateValidator;
import org.fedgen.core.aggregate.AggregatorDecorator;
import org.fedgen.core.util.Seeds;
import org.fedgen.privacy.DpFedAvg;
import org.fedgen.privacy.secagg.SecAggMessage.AdvertiseRequest;
import org.fedgen.privacy.secagg.SecAggMessage.EncryptedShare;
import org.fedgen.privacy.secagg.SecAggMessage.MaskingRequest;
import org.fedgen.privacy.secagg.SecAggMessage.PublicKeys;
import org.fedgen.privacy.secagg.SecAggMessage.ShareKeysRequest;
import org.fedgen.privacy.secagg.SecAggMessage.SharesOut;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskRequest;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskResponse;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of secure aggregation: before the round's training it runs the key exchange with the sampled
 * clients; after upload it holds only their masked updates, asks the survivors for the shares that remove the
 * self-masks of survivors and the pairwise masks of clients that dropped after sharing, and obtains
 * Σ_survivors w_k x_k (x_k the client's clipped delta, w_k its weight, {@link SecAggConfig#weight}). The weighted mean
 * Σ w_k x_k / Σ w_k is handed to the inner rule as a single update, so FedAvg, FedProx or a server optimizer apply it.
 * If the inner chain holds a {@link DpFedAvg} (built with {@link DpFedAvg.Builder#secureSum} for this quantiser's
 * rounding, the clients clipping to its clip norm with uniform weights), that single update is the sum itself, which
 * DP-FedAvg noises and divides by its fixed denominator; for a DP-FedAvg with discrete noise it is the signed sum of
 * the integer codes ({@link RingPayload}), not yet divided by the code scale, so that noise is added to integers.
 *
 * <p>Clients send deltas (a request for weights is turned into one for deltas; gradients stay gradients) whose float32
 * values are the raw bits of elements of Z_{2^32} ({@link RingPayload}); the instructions say so, so the server's
 * validator does not take a NaN bit pattern for a bad value. Every bit pattern is a ring element, so a tampered
 * update cannot be told from an honest one here: it only spoils the sum, as it could without masking. Fewer than t survivors, or too few share holders answering to
 * reconstruct a needed secret, fails the round with an {@link AggregationFailedException}: the server keeps the global
 * state.
 */
public final class SecureAggregator implements Aggregator, AggregatorDecorator {
    private static final Logger LOG = LoggerFactory.getLogger(SecureAggregator.class);

    private final Aggregator inner;
    private final SecAggConfig config;
    private final FixedPoint codec;
    private final SecAggChannel channel;
    private final long seed;
    /** Whether the inner chain adds DP noise to the sum: it then gets the sum, not the mean. */
    private final boolean dpSum;
    /** Whether that noise is discrete: the sum then stays in integer codes (DOUBLE values), not decoded. */
    private final boolean dpCodes;

    private long round = -1;
    /** This round's threshold: the configured one, or a majority of the round's share holders. */
    private int threshold;
    private final Map<Integer, PublicKeys> keys = new TreeMap<>();
    /** Client in U2 → its neighbours in U2: the peers it masks with. */
    private final Map<Integer, List<Integer>> maskPeers = new TreeMap<>();

    /**
     * @param inner   the rule that applies the unmasked mean; must not look at individual updates
     * @param config  the public parameters, the same the clients use
     * @param channel how requests reach the clients
     * @param seed    seed of the SecAgg+ neighbour graphs (public)
     */
    public SecureAggregator(Aggregator inner, SecAggConfig config, SecAggChannel channel, long seed) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.config = Objects.requireNonNull(config, "config");
        this.codec = config.codec();
        this.channel = Objects.requireNonNull(channel, "channel");
        this.seed = seed;
        this.dpSum = requireConsistentDp(inner, config, codec);
        this.dpCodes = dpSum && SecureAggregation.chain(inner).stream()
                .anyMatch(a -> a instanceof DpFedAvg dp && dp.discreteNoise());
    }

    /**
     * Finds DP-FedAvg in the inner chain; each one must be built for a secure sum with this quantiser's rounding bound
     * 1/(2s), the clients must clip to its clip norm and weigh uniformly.
     *
     * @return whether there is one
     */
    private static boolean requireConsistentDp(Aggregator inner, SecAggConfig config, FixedPoint codec) {
        boolean found = false;
        for (Aggregator a : SecureAggregation.chain(inner)) {
            if (a instanceof DpFedAvg dp) {
                found = true;
                double rounding = 1 / (2 * codec.scale());
                if (!dp.secureSum() || dp.secureSumRounding() != rounding) {
                    throw new IllegalArgumentException("secure aggregation over " + dp + ": DP-FedAvg must be built"
                            + " with secureSum(" + rounding + "), the rounding bound of " + codec);
                }
                if (config.clipNorm() != dp.clipNorm() || config.weightCap() != 0) {
                    throw new IllegalArgumentException("secure aggregation over DP-FedAvg: the clients must clip to"
                            + " its clip norm " + dp.clipNorm() + " with uniform weights (weight cap 0); got clip "
                            + config.clipNorm() + ", weight cap " + config.weightCap());
                }
            }
        }
        return found;
    }

    @Override
    public Aggregator inner() {
        return inner;
    }

    /** The protocol's public parameters. */
    public SecAggConfig config() {
        return config;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        return deltas(inner.configureFit(instructions, global));
    }

    @Override
    public FitInstructions configureRound(FitInstructions instructions, ModelState global, List<Integer> sampled) {
        FitInstructions ins = deltas(inner.configureRound(instructions, global, sampled));
        if (sampled.size() > codec.maxSummands()) {
            throw new IllegalStateException(sampled.size() + " clients in round " + ins.round() + " but "
                    + config.bits() + "-bit codes sum without overflow for at most " + codec.maxSummands());
        }
        exchangeKeys(ins.round(), sampled);
        return ins;
    }

    /** Asks for deltas (gradients stay gradients) carried as raw ring elements. */
    private static FitInstructions deltas(FitInstructions ins) {
        FitInstructions.Builder b = ins.toBuilder()
                .config(UpdateValidator.PAYLOAD_ENCODING, UpdateValidator.RING_BITS_ENCODING);
        if (ins.payloadKind() == PayloadKind.WEIGHTS) {
            b.payloadKind(PayloadKind.DELTA);
        }
        return b.build();
    }

    /** Rounds 0–1 of Bonawitz et al.: advertise keys, share keys, and route the encrypted shares. */
    private void exchangeKeys(long r, List<Integer> sampled) {
        round = r;
        // From the clients asked, not those who answer: a drop at advertisement must not lower the threshold.
        threshold = config.thresholdFor(config.holders(sampled.size()));
        keys.clear();
        maskPeers.clear();
        for (int id : sampled) {
            try {
                if (channel.exchange(id, new AdvertiseRequest(r)) instanceof PublicKeys k && k.clientId() == id
                        && k.round() == r) {
                    keys.put(id, k);
                } else {
                    LOG.warn("round {}: client {} answered the key advertisement with a wrong message", r, id);
                }
            } catch (RuntimeException e) {
                LOG.warn("round {}: client {} dropped at key advertisement: {}", r, id, e.toString());
            }
        }
        Map<Integer, List<Integer>> graph = NeighbourGraph.build(new ArrayList<>(keys.keySet()),
                config.neighbours(), Seeds.derive(seed, "secagg-graph", r));
        Map<Integer, List<EncryptedShare>> inbox = new TreeMap<>();
        for (Map.Entry<Integer, List<Integer>> e : graph.entrySet()) {
            int id = e.getKey();
            List<PublicKeys> peers = e.getValue().stream().map(keys::get).toList();
            try {
                if (channel.exchange(id, new ShareKeysRequest(r, threshold, peers)) instanceof SharesOut s
                        && s.clientId() == id && s.round() == r && addressedToNeighbours(s, e.getValue())) {
                    for (EncryptedShare share : s.shares()) {
                        inbox.computeIfAbsent(share.to(), k -> new ArrayList<>()).add(share);
                    }
                    maskPeers.put(id, new ArrayList<>());
                } else {
                    LOG.warn("round {}: client {} answered the share request with a wrong message", r, id);
                }
            } catch (RuntimeException ex) {
                LOG.warn("round {}: client {} dropped at key sharing: {}", r, id, ex.toString());
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : maskPeers.entrySet()) {
            int id = e.getKey();
            List<EncryptedShare> mine = inbox.getOrDefault(id, List.of()).stream()
                    .filter(s -> maskPeers.containsKey(s.from())).toList();
            mine.forEach(s -> e.getValue().add(s.from()));
            try {
                channel.exchange(id, new MaskingRequest(r, mine));
            } catch (RuntimeException ex) {
                // It will not upload and so counts as dropped; its peers still hold its shares.
                LOG.warn("round {}: client {} dropped at share delivery: {}", r, id, ex.toString());
            }
        }
    }

    private static boolean addressedToNeighbours(SharesOut s, List<Integer> neighbours) {
        TreeSet<Integer> to = new TreeSet<>();
        for (EncryptedShare share : s.shares()) {
            if (share.from() != s.clientId() || !to.add(share.to())) {
                return false;
            }
        }
        return to.equals(new TreeSet<>(neighbours));
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        if (context.round() != round) {
            throw new AggregationFailedException("secure aggregation: no key exchange was run for round "
                    + context.round());
        }
        // Parts a policy keeps on the clients or trains on the server are not in the updates.
        List<String> parts = new ArrayList<>(inner instanceof PartPolicy p ? p.sentParts(global)
                : global.partNames());
        int length = 0;
        for (String p : parts) {
            length = Math.addExact(length, (int) global.part(p).length());
        }
        int[] sum = new int[length];
        List<ClientUpdate> survivors = new ArrayList<>();
        int invalid = 0;
        for (ClientUpdate u : updates) {
            if (!maskPeers.containsKey(u.clientId())) {
                LOG.warn("round {}: update of client {}, which did not share keys, is ignored", round, u.clientId());
                invalid++;
            } else {
                addCodes(sum, u, parts);
                survivors.add(u);
            }
        }
        TreeSet<Integer> alive = new TreeSet<>();
        survivors.forEach(u -> alive.add(u.clientId()));
        TreeSet<Integer> dropped = new TreeSet<>(maskPeers.keySet());
        dropped.removeAll(alive);
        context.metric("secagg_survivors", alive.size());
        context.metric("secagg_dropped", dropped.size());
        if (invalid > 0) {
            context.metric("secagg_invalid", invalid);
        }
        if (alive.size() < threshold) {
            clear();
            throw new AggregationFailedException("secure aggregation round " + context.round() + ": "
                    + alive.size() + " survivors, fewer than the threshold " + threshold);
        }
        unmask(sum, alive, dropped);
        // Under DP the inner DP-FedAvg gets the sum: it adds the noise and divides by its fixed denominator qW.
        double totalWeight = dpSum ? 1 : survivors.stream().mapToDouble(u -> config.weight(u.numExamples())).sum();
        clear();
        if (totalWeight == 0) {
            LOG.warn("round {}: survivors have zero total weight; global parts {} unchanged", context.round(), parts);
            return global;
        }
        Map<String, INDArray> mean = new LinkedHashMap<>();
        int at = 0;
        for (String p : parts) {
            if (dpCodes) {
                // The signed code sum as raw ring bits: the discrete noise is added before anything is rounded.
                int n = (int) global.part(p).length();
                mean.put(p, RingPayload.write(sum, at, n));
                at += n;
                continue;
            }
            float[] v = new float[(int) global.part(p).length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (codec.decode(sum[at++]) / totalWeight);
            }
            mean.put(p, Nd4j.createFromArray(v));
        }
        PayloadKind kind = survivors.get(0).kind();
        ClientUpdate combined = new ClientUpdate(survivors.get(0).clientId(), context.round(), 1, kind, mean,
                Map.of());
        return inner.aggregate(global, List.of(combined), context);
    }

    /** Adds an update's ring elements to the sum (int addition wraps: it is addition in Z_{2^32}). */
    private static void addCodes(int[] sum, ClientUpdate u, List<String> parts) {
        int at = 0;
        for (String p : parts) {
            int[] codes = RingPayload.read(u.part(p));
            for (int c : codes) {
                sum[at++] += c;
            }
        }
    }

    /** Round 3 of Bonawitz et al.: collect shares, reconstruct, and take the masks out of the sum. */
    private void unmask(int[] sum, TreeSet<Integer> alive, TreeSet<Integer> dropped) {
        Map<Integer, Map<Integer, BigInteger>> seedShares = new TreeMap<>();
        Map<Integer, Map<Integer, BigInteger>> keyShares = new TreeMap<>();
        UnmaskRequest request = new UnmaskRequest(round, List.copyOf(alive), List.copyOf(dropped));
        for (int id : alive) {
            try {
                if (channel.exchange(id, request) instanceof UnmaskResponse r && r.clientId() == id
                        && r.round() == round) {
                    r.seedShares().forEach((owner, s) -> {
                        if (alive.contains(owner)) {
                            seedShares.computeIfAbsent(owner, k -> new TreeMap<>()).put(id + 1, s);
                        }
                    });
                    r.keyShares().forEach((owner, s) -> {
                        if (dropped.contains(owner)) {
                            keyShares.computeIfAbsent(owner, k -> new TreeMap<>()).put(id + 1, s);
                        }
                    });
                }
            } catch (RuntimeException e) {
                LOG.warn("round {}: client {} dropped at unmasking: {}", round, id, e.toString());
            }
        }
        for (int owner : alive) {
            byte[] b = reconstruct(seedShares.get(owner), owner, "self-mask seed");
            MaskStream.apply(sum, b, round, -1);
        }
        for (int owner : dropped) {
            List<Integer> affected = maskPeers.get(owner).stream().filter(alive::contains).toList();
            if (affected.isEmpty()) {
                continue;
            }
            byte[] sk = reconstruct(keyShares.get(owner), owner, "masking key");
            for (int i : affected) {
                byte[] s = X25519.agree(sk, keys.get(i).maskKey(), SecAggClient.MASK_LABEL);
                // i added the mask if i < owner and subtracted it otherwise; undo that.
                MaskStream.apply(sum, s, round, i < owner ? -1 : 1);
            }
        }
    }

    private byte[] reconstruct(Map<Integer, BigInteger> shares, int owner, String what) {
        int have = shares == null ? 0 : shares.size();
        if (have < threshold) {
            long r = round;
            clear();
            throw new AggregationFailedException("secure aggregation round " + r + ": " + have + " shares of the "
                    + what + " of client " + owner + ", fewer than the threshold " + threshold);
        }
        Map<Integer, BigInteger> t = new TreeMap<>();
        for (Map.Entry<Integer, BigInteger> e : shares.entrySet()) {
            if (t.size() < threshold) {
                t.put(e.getKey(), e.getValue());
            }
        }
        BigInteger secret = Shamir.reconstruct(t);
        if (secret.bitLength() > 256) {
            clear();
            throw new AggregationFailedException("secure aggregation round " + round + ": the shares of the " + what
                    + " of client " + owner + " are inconsistent");
        }
        return Shamir.toBytes(secret, 32);
    }

    private void clear() {
        round = -1;
        keys.clear();
        maskPeers.clear();
    }

    @Override
    public String toString() {
        return "SecureAggregation(" + inner + ", t=" + (config.threshold() > 0 ? config.threshold() : "majority")
                + ", " + codec
                + (config.neighbours() == 0 ? ", all pairs" : ", " + config.neighbours() + " neighbours") + ")";
    }
}
