package org.fedgen.privacy.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.privacy.secagg.SecAggMessage.Ack;
import org.fedgen.privacy.secagg.SecAggMessage.AdvertiseRequest;
import org.fedgen.privacy.secagg.SecAggMessage.EncryptedShare;
import org.fedgen.privacy.secagg.SecAggMessage.MaskingRequest;
import org.fedgen.privacy.secagg.SecAggMessage.PublicKeys;
import org.fedgen.privacy.secagg.SecAggMessage.ShareKeysRequest;
import org.fedgen.privacy.secagg.SecAggMessage.SharesOut;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskRequest;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskResponse;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The client side of secure aggregation for one client: fresh X25519 key pairs and a self-mask seed b each round,
 * Shamir shares of the masking key and of b for its neighbours, and the masking of its own update:
 * y = code(x) + PRG(b) + Σ_{j neighbour, i &lt; j} PRG(s_ij) − Σ_{j neighbour, i &gt; j} PRG(s_ij) in Z_{2^32}, where x
 * is the update scaled by the client's weight and clipped, and s_ij the seed agreed with j.
 *
 * <p>It answers each step once per round, in order, and refuses requests that would reveal its update: a second
 * masking in one round, an unmask request that names a client as both survivor and dropped, or one with fewer
 * survivors than the threshold.
 */
public final class SecAggClient {
    static final String MASK_LABEL = "fedgen-secagg-mask";
    static final String SHARE_LABEL = "fedgen-secagg-share";
    private static final int SHARE_BYTES = 66;

    private enum Stage { KEYS, SHARED, READY, MASKED, DONE }

    private final int id;
    private final SecAggConfig config;
    private final FixedPoint codec;
    private final SecureRandom random;

    private long round = -1;
    private Stage stage = Stage.DONE;
    /** The threshold the server set for this round, checked against a majority of this client's share holders. */
    private int threshold;
    private X25519.Keys encryptionKeys;
    private X25519.Keys maskKeys;
    private byte[] selfSeed;
    private final Map<Integer, PublicKeys> neighbourKeys = new TreeMap<>();
    /** Owner id → {share of its masking key, share of its self-mask seed}, including this client's own. */
    private final Map<Integer, BigInteger[]> held = new HashMap<>();
    private final TreeSet<Integer> maskPeers = new TreeSet<>();

    /** A client's side with fresh secrets from a {@link SecureRandom}. */
    public SecAggClient(int id, SecAggConfig config) {
        this(id, config, new SecureRandom());
    }

    /** With a given source of keys, seeds and share coefficients (tests; use a {@link SecureRandom}). */
    SecAggClient(int id, SecAggConfig config, SecureRandom random) {
        if (id < 0) {
            throw new IllegalArgumentException("client id must be >= 0, got " + id);
        }
        this.id = id;
        this.config = config;
        this.codec = config.codec();
        this.random = random;
    }

    /** The id of the client this state belongs to. */
    public int id() {
        return id;
    }

    /** Answers one server request of the protocol. */
    public synchronized SecAggMessage handle(SecAggMessage request) {
        if (request instanceof AdvertiseRequest r) {
            return advertise(r);
        }
        if (request.round() != round) {
            throw new IllegalStateException("client " + id + " is in round " + round + ", request is for round "
                    + request.round());
        }
        if (request instanceof ShareKeysRequest r) {
            return shareKeys(r);
        }
        if (request instanceof MaskingRequest r) {
            return receiveShares(r);
        }
        if (request instanceof UnmaskRequest r) {
            return unmask(r);
        }
        throw new IllegalArgumentException("client " + id + " cannot answer " + request.getClass().getSimpleName());
    }

    private PublicKeys advertise(AdvertiseRequest r) {
        round = r.round();
        neighbourKeys.clear();
        held.clear();
        maskPeers.clear();
        encryptionKeys = X25519.generate(random);
        maskKeys = X25519.generate(random);
        selfSeed = new byte[32];
        random.nextBytes(selfSeed);
        stage = Stage.KEYS;
        return new PublicKeys(round, id, encryptionKeys.publicKey(), maskKeys.publicKey());
    }

    private SharesOut shareKeys(ShareKeysRequest r) {
        expect(Stage.KEYS, r);
        int count = r.neighbours().size() + 1;
        // A server asking for fewer shares than a majority of the holders could reconstruct with a minority.
        int least = config.thresholdFor(count);
        if (config.threshold() > 0 ? r.threshold() != least : r.threshold() < least) {
            throw new IllegalArgumentException("client " + id + " uses threshold " + (config.threshold() > 0 ? least
                    : "of at least a majority " + least + " of its " + count + " share holders")
                    + ", the server asked for " + r.threshold());
        }
        if (count < r.threshold()) {
            throw new IllegalStateException("client " + id + " has " + count + " share holders, fewer than"
                    + " the threshold " + r.threshold());
        }
        List<Integer> holders = new ArrayList<>();
        holders.add(id + 1);
        for (PublicKeys k : r.neighbours()) {
            if (k.clientId() == id || neighbourKeys.put(k.clientId(), k) != null) {
                throw new IllegalArgumentException("client " + id + " got a neighbour list naming client "
                        + k.clientId() + " twice or itself");
            }
            holders.add(k.clientId() + 1);
        }
        threshold = r.threshold();
        Map<Integer, BigInteger> keyShares = Shamir.split(Shamir.fromBytes(maskKeys.privateKey()), holders,
                threshold, random);
        Map<Integer, BigInteger> seedShares = Shamir.split(Shamir.fromBytes(selfSeed), holders, threshold, random);
        held.put(id, new BigInteger[] {keyShares.get(id + 1), seedShares.get(id + 1)});
        List<EncryptedShare> out = new ArrayList<>();
        for (PublicKeys k : neighbourKeys.values()) {
            int to = k.clientId();
            byte[] plain = new byte[2 * SHARE_BYTES];
            System.arraycopy(Shamir.toBytes(keyShares.get(to + 1), SHARE_BYTES), 0, plain, 0, SHARE_BYTES);
            System.arraycopy(Shamir.toBytes(seedShares.get(to + 1), SHARE_BYTES), 0, plain, SHARE_BYTES,
                    SHARE_BYTES);
            byte[] key = X25519.agree(encryptionKeys.privateKey(), k.encryptionKey(), SHARE_LABEL);
            out.add(new EncryptedShare(id, to, ShareBox.seal(key, round, id, to, plain)));
        }
        stage = Stage.SHARED;
        return new SharesOut(round, id, out);
    }

    private Ack receiveShares(MaskingRequest r) {
        expect(Stage.SHARED, r);
        for (EncryptedShare s : r.shares()) {
            PublicKeys from = neighbourKeys.get(s.from());
            if (from == null || s.to() != id || held.containsKey(s.from())) {
                throw new IllegalArgumentException("client " + id + " got a share from " + s.from() + " to " + s.to()
                        + " that it did not expect");
            }
            byte[] key = X25519.agree(encryptionKeys.privateKey(), from.encryptionKey(), SHARE_LABEL);
            byte[] plain = ShareBox.open(key, round, s.from(), id, s.ciphertext());
            if (plain.length != 2 * SHARE_BYTES) {
                throw new IllegalArgumentException("share from client " + s.from() + " has " + plain.length
                        + " bytes, expected " + 2 * SHARE_BYTES);
            }
            held.put(s.from(), new BigInteger[] {
                Shamir.fromBytes(java.util.Arrays.copyOfRange(plain, 0, SHARE_BYTES)),
                Shamir.fromBytes(java.util.Arrays.copyOfRange(plain, SHARE_BYTES, 2 * SHARE_BYTES))});
            maskPeers.add(s.from());
        }
        stage = Stage.READY;
        return new Ack(round, id);
    }

    /**
     * Replaces the update's payload by its masked code and drops its metrics (they would reveal this client's own
     * values). The update is first scaled by the client's weight and clipped to the configured norm.
     *
     * @param update the client's update for the current round, payload over the parts it sends
     * @param global the global state the update was trained from (it fixes the order of the parts)
     * @throws IllegalStateException if the client did not take part in this round's key exchange, or already masked
     */
    public synchronized ClientUpdate mask(ClientUpdate update, ModelState global) {
        if (update.round() != round || stage != Stage.READY) {
            throw new IllegalStateException("client " + id + " cannot mask an update for round " + update.round()
                    + ": it is in round " + round + " at stage " + stage
                    + " (missed the key exchange or already masked)");
        }
        List<String> parts = new ArrayList<>();
        for (String p : global.partNames()) {
            if (update.parts().containsKey(p)) {
                parts.add(p);
            }
        }
        int length = 0;
        for (String p : parts) {
            length = Math.addExact(length, (int) update.part(p).length());
        }
        double[] x = new double[length];
        int at = 0;
        for (String p : parts) {
            float[] v = update.part(p).toFloatVector();
            for (float f : v) {
                x[at++] = f;
            }
        }
        double factor = config.weight(update.numExamples());
        if (config.clipNorm() > 0) {
            double sq = 0;
            for (double v : x) {
                sq += v * v;
            }
            double norm = factor * Math.sqrt(sq);
            if (norm > config.clipNorm()) {
                factor *= config.clipNorm() / norm;
            }
        }
        int[] ring = new int[length];
        for (int i = 0; i < length; i++) {
            ring[i] = codec.encode(x[i] * factor);
        }
        MaskStream.apply(ring, selfSeed, round, 1);
        for (int j : maskPeers) {
            byte[] seed = X25519.agree(maskKeys.privateKey(), neighbourKeys.get(j).maskKey(), MASK_LABEL);
            MaskStream.apply(ring, seed, round, id < j ? 1 : -1);
        }
        stage = Stage.MASKED;
        Map<String, INDArray> masked = new LinkedHashMap<>();
        at = 0;
        for (String p : parts) {
            int n = (int) update.part(p).length();
            masked.put(p, RingPayload.write(ring, at, n));
            at += n;
        }
        return new ClientUpdate(update.clientId(), update.round(), update.numExamples(), update.kind(), masked,
                Map.of());
    }

    private UnmaskResponse unmask(UnmaskRequest r) {
        if (stage != Stage.MASKED && stage != Stage.READY) {
            throw new IllegalStateException("client " + id + " cannot unmask in round " + round + " at stage "
                    + stage);
        }
        TreeSet<Integer> survivors = new TreeSet<>(r.survivors());
        TreeSet<Integer> dropped = new TreeSet<>(r.dropped());
        if (survivors.size() != r.survivors().size() || dropped.size() != r.dropped().size()) {
            throw new IllegalArgumentException("client " + id + " got an unmask request with repeated ids");
        }
        for (int d : dropped) {
            if (survivors.contains(d)) {
                throw new IllegalArgumentException("client " + id + " refuses to unmask: client " + d
                        + " is named both survivor and dropped, which would reveal its update");
            }
        }
        if (!survivors.contains(id)) {
            throw new IllegalArgumentException("client " + id + " refuses to unmask: it is not among the survivors");
        }
        if (survivors.size() < threshold) {
            throw new IllegalArgumentException("client " + id + " refuses to unmask: " + survivors.size()
                    + " survivors, fewer than the threshold " + threshold);
        }
        Map<Integer, BigInteger> seeds = new TreeMap<>();
        Map<Integer, BigInteger> keys = new TreeMap<>();
        for (Map.Entry<Integer, BigInteger[]> e : held.entrySet()) {
            if (survivors.contains(e.getKey())) {
                seeds.put(e.getKey(), e.getValue()[1]);
            } else if (dropped.contains(e.getKey())) {
                keys.put(e.getKey(), e.getValue()[0]);
            }
        }
        stage = Stage.DONE;
        return new UnmaskResponse(round, id, seeds, keys);
    }

    private void expect(Stage want, SecAggMessage r) {
        if (stage != want) {
            throw new IllegalStateException("client " + id + " got " + r.getClass().getSimpleName() + " at stage "
                    + stage + " of round " + round);
        }
    }
}
