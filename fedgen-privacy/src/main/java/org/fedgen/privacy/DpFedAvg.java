package org.fedgen.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.StreamingAggregator;
import org.fedgen.core.io.ExactState;
import org.fedgen.core.privacy.PrivacyGuarantee;
import org.fedgen.core.privacy.PrivateRunSetup;
import org.fedgen.core.util.Seeds;
import org.fedgen.core.util.Vectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DP-FedAvg (McMahan, Ramage, Talwar, Zhang 2018, Algorithm 1) over the parts it is given: with a part policy it sees
 * exactly the protected parts.
 *
 * <p>Each client's delta over all its parts flattened together, Δ_k = w_k − w_t (or the DELTA payload itself), is clipped
 * to Δ_k·min(1, S/‖Δ_k‖₂), weighted by w_k ≤ 1 ({@link ClientWeighting#UNIFORM} or {@link ClientWeighting#CAPPED}),
 * summed, and N(0, (zS)² I) is added; the sum is divided by the fixed denominator qW
 * ({@link RoundContext#expectedClientsPerRound()}) and added to θ. The fixed denominator makes the sensitivity of the
 * average S/(qW) whether or not a client took part, so the noise std on the average is zS/(qW). Noise is added even in a
 * round without updates, since the accountant charges every round.
 *
 * <p>The guarantee covers the noisy average. Whatever is computed from it afterwards (a server optimizer such as
 * FedAdam, a server-side generator step, evaluation) is post-processing and keeps it. A rule that reads individual
 * updates before the noise does not; {@link DpChecks#requireCompatible} refuses such combinations.
 *
 * <p>With {@link AdaptiveClipping}, S is its current clip norm and the noisy count it releases is paid for by using the
 * smaller update noise multiplier z_Δ; the accountant must still be given {@link #noiseMultiplier()} z.
 *
 * <p>Metrics written to the round context: marked safe to publish, {@code dp_clip_norm} (S used this round),
 * {@code dp_noise_std} (zS/(qW), the noise std on the averaged update), with adaptive clipping
 * {@code dp_unclipped_estimate} (the noised b̄) and {@code dp_next_clip_norm}, and with a {@link PrivacyLedger} ε,
 * {@code dp_order}, {@code dp_delta} and {@code dp_q} after charging the round; not safe (raw client statistics,
 * withheld by a private run's {@link org.fedgen.core.privacy.PrivateOutputs}), {@code dp_clipped_fraction} and
 * {@code dp_clients}.
 *
 * <p>As a {@link PrivacyGuarantee} it refuses, when the server is built, a run that publishes every metric, evaluates
 * on the clients' data, samples clients other than by Poisson sampling (unless {@link Builder#allowFixedSizeSampling}),
 * or routes sent parts around it or through rules that read individual updates ({@link DpChecks}); seeded noise,
 * seeded sampling and allowed fixed-size sampling are recorded as caveats on the ledger.
 *
 * <p>Streams with continuous noise ({@link #begin}): a round holds one sum per part whatever the number of clients,
 * with the same bits as {@link #aggregate}.
 */
public final class DpFedAvg implements StreamingAggregator, PrivacyGuarantee {
    private static final String CLIP_STATE = "dp_clip_norm";
    private static final String LEDGER_PREFIX = "ledger/";

    private final double fixedClipNorm;
    private final double noiseMultiplier;
    private final double updateNoiseMultiplier;
    private final ClientWeighting weighting;
    private final double weightCap;
    private final NoiseMode noiseMode;
    private final AdaptiveClipping adaptive;
    private final PrivacyLedger ledger;
    private final boolean allowFixedSizeSampling;
    private final boolean discrete;
    /** NaN, or the per-coordinate rounding bound of the secure sum this aggregator receives instead of updates. */
    private final double secureSumRounding;

    private DpFedAvg(Builder b) {
        if (!(b.noiseMultiplier >= 0) || Double.isInfinite(b.noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + b.noiseMultiplier);
        }
        if (b.weighting == ClientWeighting.SAMPLE_COUNT) {
            throw new IllegalArgumentException("DP-FedAvg cannot weight clients by sample count: an unbounded weight"
                    + " makes one client's influence exceed the clip norm S that the noise is calibrated to; use"
                    + " UNIFORM or CAPPED (w_k = min(n_k/cap, 1))");
        }
        if (b.weighting == ClientWeighting.CAPPED && (!(b.weightCap > 0) || Double.isInfinite(b.weightCap))) {
            throw new IllegalArgumentException("CAPPED weighting needs a finite weight cap > 0, got " + b.weightCap);
        }
        if (b.adaptive == null && (!(b.clipNorm > 0) || Double.isInfinite(b.clipNorm))) {
            throw new IllegalArgumentException("clip norm S must be finite and > 0, got " + b.clipNorm);
        }
        this.fixedClipNorm = b.clipNorm;
        this.noiseMultiplier = b.noiseMultiplier;
        this.weighting = b.weighting;
        this.weightCap = b.weightCap;
        this.noiseMode = b.noiseMode;
        this.adaptive = b.adaptive;
        this.ledger = b.ledger;
        this.allowFixedSizeSampling = b.allowFixedSizeSampling;
        this.discrete = b.discrete;
        if (discrete && (weighting != ClientWeighting.UNIFORM || adaptive != null || !(noiseMultiplier > 0))) {
            throw new IllegalArgumentException("discrete Gaussian noise needs UNIFORM weights (integer sums), a fixed"
                    + " clip norm and z > 0; got weighting " + weighting + ", adaptive " + (adaptive != null)
                    + ", z = " + noiseMultiplier);
        }
        this.secureSumRounding = b.secureSumRounding;
        if (!Double.isNaN(secureSumRounding) && (!(secureSumRounding > 0) || Double.isInfinite(secureSumRounding)
                || adaptive != null || weighting != ClientWeighting.UNIFORM)) {
            throw new IllegalArgumentException("DP-FedAvg over a secure sum needs a rounding bound > 0, a fixed clip"
                    + " norm and UNIFORM weights (the clients clip and weigh); got rounding " + secureSumRounding
                    + ", adaptive " + (adaptive != null) + ", weighting " + weighting);
        }
        if (ledger != null && noiseMode == NoiseMode.SEEDED) {
            ledger.caveat("DP noise seeded from the run seed (anyone who knows it can subtract the noise)");
        }
        this.updateNoiseMultiplier = adaptive == null ? noiseMultiplier : adaptive.updateNoiseMultiplier(
                noiseMultiplier);
    }

    /** A builder; clip norm and noise multiplier are required, weighting defaults to UNIFORM, noise to SECURE. */
    public static Builder builder() {
        return new Builder();
    }

    /** z, the noise multiplier the accountant charges per round. */
    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    /** z_Δ, the multiplier of the noise actually added to the update sum (z without adaptive clipping). */
    public double updateNoiseMultiplier() {
        return updateNoiseMultiplier;
    }

    /** The clip norm S the next round will use. */
    public double clipNorm() {
        return adaptive == null ? fixedClipNorm : adaptive.clipNorm();
    }

    /** How clients are weighted (bounded, so the sensitivity holds). */
    public ClientWeighting weighting() {
        return weighting;
    }

    /** Where the Gaussian noise comes from (secure or seeded). */
    public NoiseMode noiseMode() {
        return noiseMode;
    }

    /** The adaptive clipping rule, or null for a fixed clip norm. */
    public AdaptiveClipping adaptiveClipping() {
        return adaptive;
    }

    /** The ledger charged every round, or null if this aggregator does no accounting. */
    public PrivacyLedger ledger() {
        return ledger;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        double denominator = denominator(context);
        double clip = clipNorm();
        if (discrete && secureSum()) {
            return aggregateDiscreteSecureSum(global, updates, context, clip, denominator);
        }
        if (discrete) {
            return aggregateDiscrete(global, updates, context, clip, denominator);
        }
        if (secureSum()) {
            return aggregateSecureSum(global, updates, context, clip, denominator);
        }
        ClippedSum sum = new ClippedSum(global, clip);
        updates.forEach(sum::add);
        return sum.finish(context, denominator);
    }

    /**
     * Streams the continuous-noise rule: each update is clipped, weighted and added to the running sum as it arrives
     * (in client-id order), exactly the operations {@link #aggregate} performs in the same order, so the result is
     * the same bits; the noise is added once at the end. With discrete noise or a secure sum the fold buffers the
     * round's updates and calls {@link #aggregate} (see {@link #streams()}).
     */
    @Override
    public Fold begin(ModelState global, RoundContext context) {
        if (!streams()) {
            return StreamingAggregator.buffering(this, global, context);
        }
        double denominator = denominator(context);
        ClippedSum sum = new ClippedSum(global, clipNorm());
        return new Fold() {
            @Override
            public void accept(ClientUpdate update) {
                sum.add(update);
            }

            @Override
            public ModelState finish() {
                return sum.finish(context, denominator);
            }
        };
    }

    /** False with discrete noise (an exact integer sum over the flattened model) or a secure sum (one update). */
    @Override
    public boolean streams() {
        return !discrete && !secureSum();
    }

    private static double denominator(RoundContext context) {
        double denominator = context.expectedClientsPerRound();
        if (!(denominator > 0) || Double.isInfinite(denominator)) {
            throw new IllegalArgumentException("DP-FedAvg needs expected clients per round qW > 0, got "
                    + denominator);
        }
        return denominator;
    }

    /**
     * One round's Σ_k w_k·clip(Δ_k) with continuous noise: a sum and a scratch vector per part, and each client's
     * norm (a double) for adaptive clipping; no update is kept.
     */
    private final class ClippedSum {
        private final ModelState global;
        private final double clip;
        private final List<String> names;
        private final Map<String, INDArray> sum = new LinkedHashMap<>();
        private final List<INDArray> scratch = new ArrayList<>();
        private double[] norms = new double[16];
        private int count;
        private int clipped;

        ClippedSum(ModelState global, double clip) {
            this.global = global;
            this.clip = clip;
            this.names = new ArrayList<>(global.partNames());
            for (String p : names) {
                long len = global.part(p).length();
                sum.put(p, Nd4j.zeros(DataType.FLOAT, len));
                scratch.add(Nd4j.createUninitialized(DataType.FLOAT, len));
            }
        }

        void add(ClientUpdate u) {
            loadDelta(u, global, names, scratch);
            double norm = Vectors.l2Norm(scratch);
            if (count == norms.length) {
                norms = java.util.Arrays.copyOf(norms, 2 * count);
            }
            norms[count++] = norm;
            double factor = L2Clip.factor(norm, clip);
            if (factor < 1) {
                clipped++;
            }
            double scale = factor * weight(u);
            for (int i = 0; i < names.size(); i++) {
                sum.get(names.get(i)).addi(scratch.get(i).muli(scale));
            }
        }

        ModelState finish(RoundContext context, double denominator) {
            double noiseStd = updateNoiseMultiplier * clip;
            ModelState next = noiseAndAverage(global, sum, noiseStd, denominator, context);
            scratch.forEach(INDArray::close);
            context.safeMetric("dp_clip_norm", clip);
            context.metric("dp_clipped_fraction", count == 0 ? 0 : clipped / (double) count);
            context.safeMetric("dp_noise_std", noiseStd / denominator);
            context.metric("dp_clients", count);
            if (adaptive != null) {
                GaussianNoise countNoise = noiseMode.create(Seeds.derive(context.seed(), "dp-clip-count-noise"));
                context.safeMetric("dp_unclipped_estimate", adaptive.update(java.util.Arrays.copyOf(norms, count),
                        denominator, countNoise));
                context.safeMetric("dp_next_clip_norm", adaptive.clipNorm());
            }
            if (ledger != null) {
                ledger.charge(context, noiseMultiplier);
            }
            return next;
        }
    }

    /** Adds N(0, noiseStd²) to every coordinate of {@code sum} (in place), divides by qW and adds θ. */
    private ModelState noiseAndAverage(ModelState global, Map<String, INDArray> sum, double noiseStd,
            double denominator, RoundContext context) {
        GaussianNoise noise = noiseMode.create(Seeds.derive(context.seed(), "dp-fedavg-noise"));
        Map<String, INDArray> next = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : sum.entrySet()) {
            INDArray s = e.getValue();
            noise.addTo(s, noiseStd);
            next.put(e.getKey(), s.divi(denominator).addi(global.part(e.getKey())));
        }
        return ModelState.of(global.round(), next);
    }

    /**
     * Under secure aggregation the clients clip (to S, over everything they send) and quantise; the one update is the
     * server's unmasked sum Σ_k code(Δ_k)/s. Rounding moves each coordinate of a client's contribution by at most
     * r = 1/(2s) and clamping only shrinks it, so one client changes the sum by at most S' = S + r√d in L2 (d the
     * coordinates here): the noise is N(0, (zS')²), which has the Rényi divergence of z at sensitivity S', so the
     * ledger is charged at z exactly as for server-side clipping.
     */
    private ModelState aggregateSecureSum(ModelState global, List<ClientUpdate> updates, RoundContext context,
            double clip, double denominator) {
        if (updates.size() > 1) {
            throw new IllegalStateException("DP-FedAvg over a secure sum takes the one unmasked sum, got "
                    + updates.size() + " updates");
        }
        List<String> names = new ArrayList<>(global.partNames());
        Map<String, INDArray> sum = new LinkedHashMap<>();
        long d = 0;
        for (String p : names) {
            long len = global.part(p).length();
            d += len;
            INDArray v = Nd4j.zeros(DataType.FLOAT, len);
            if (!updates.isEmpty()) {
                ClientUpdate u = updates.get(0);
                if (u.kind() != PayloadKind.DELTA) {
                    throw new IllegalStateException("DP-FedAvg over a secure sum takes a DELTA sum, got " + u.kind());
                }
                v.assign(u.part(p));
            }
            sum.put(p, v);
        }
        double sensitivity = clip + secureSumRounding * Math.sqrt(d);
        double noiseStd = updateNoiseMultiplier * sensitivity;
        ModelState next = noiseAndAverage(global, sum, noiseStd, denominator, context);
        context.safeMetric("dp_clip_norm", clip);
        context.safeMetric("dp_sensitivity", sensitivity);
        context.safeMetric("dp_noise_std", noiseStd / denominator);
        if (ledger != null) {
            ledger.charge(context, noiseMultiplier);
        }
        return next;
    }

    /**
     * Discrete noise under secure aggregation: the one update holds the unmasked sum of the clients' integer codes
     * Σ_k q_k (signed, as raw ring bits, {@link org.fedgen.privacy.secagg.RingPayload}; not yet divided by the code
     * scale s = 1/(2r)). Each client's code
     * is q = round(clamp(x)·s) with ‖x‖₂ ≤ S, and clamping only shrinks coordinates, so ‖q‖₂ ≤ sS + √d/2 = Δ in code
     * units, exactly. N_Z(0, σ²) with the integer σ² = ⌈(zΔ)²⌉ is added to every coordinate in exact integer
     * arithmetic, and only then is the sum scaled by 1/(s·qW): no floating-point rounding touches the noise. The
     * accounting argument is that of {@link #aggregateDiscrete} (σ/Δ ≥ z).
     */
    private ModelState aggregateDiscreteSecureSum(ModelState global, List<ClientUpdate> updates,
            RoundContext context, double clip, double denominator) {
        if (updates.size() > 1) {
            throw new IllegalStateException("DP-FedAvg over a secure sum takes the one unmasked sum, got "
                    + updates.size() + " updates");
        }
        List<String> names = new ArrayList<>(global.partNames());
        long d = 0;
        for (String p : names) {
            d += global.part(p).length();
        }
        double codeScale = 1 / (2 * secureSumRounding);
        double sensitivity = codeScale * clip + Math.sqrt((double) d) / 2;
        double sigma = updateNoiseMultiplier * sensitivity;
        long variance = (long) Math.ceil(sigma * sigma);
        long seed = Seeds.derive(context.seed(), "dp-fedavg-discrete-secure-sum");
        DiscreteGaussian noise = noiseMode == NoiseMode.SECURE ? DiscreteGaussian.secure()
                : DiscreteGaussian.seeded(seed);
        double scale = 1 / (codeScale * denominator);
        Map<String, INDArray> next = new LinkedHashMap<>();
        for (String p : names) {
            INDArray g = global.part(p);
            int[] codes = updates.isEmpty() ? new int[(int) g.length()] : codeSum(updates.get(0), p, g);
            float[] v = new float[codes.length];
            for (int i = 0; i < v.length; i++) {
                long noisy = Math.addExact(codes[i], noise.sample(variance));
                v[i] = (float) (noisy * scale);
            }
            next.put(p, Nd4j.createFromArray(v).reshape(g.shape()).addi(g));
        }
        context.safeMetric("dp_clip_norm", clip);
        context.safeMetric("dp_sensitivity", sensitivity / codeScale);
        context.safeMetric("dp_noise_std", Math.sqrt((double) variance) * scale);
        if (ledger != null) {
            ledger.charge(context, noiseMultiplier);
        }
        return ModelState.of(global.round(), next);
    }

    /** Part p of the unmasked code sum, carried as raw ring bits. */
    private static int[] codeSum(ClientUpdate u, String p, INDArray g) {
        if (u.kind() != PayloadKind.DELTA) {
            throw new IllegalStateException("DP-FedAvg over a secure sum takes a DELTA sum, got " + u.kind());
        }
        INDArray part = u.part(p);
        if (part.length() != g.length()) {
            throw new IllegalStateException("code sum of part '" + p + "' has length " + part.length()
                    + ", expected " + g.length());
        }
        return org.fedgen.privacy.secagg.RingPayload.read(part);
    }

    /**
     * The floating-point-safe variant: each clipped delta is quantized to the grid γ ({@link GridQuantizer}, norm
     * bound Δ in grid units, exact), the integer vectors are summed exactly, N_Z(0, σ²) from {@link DiscreteGaussian}
     * with the integer σ² = ⌈(zΔ)²⌉ is added to every coordinate, and only then is the sum scaled back by γ/(qW).
     * Accounting: the multivariate discrete Gaussian with L2 sensitivity Δ satisfies the same Rényi bound
     * α Δ²/(2σ²) as the continuous Gaussian (Canonne, Kamath, Steinke 2020, Thm. 15 for q = 1); with Poisson sampling
     * the ledger charges the sampled Gaussian at z (σ/Δ ≥ z), whose integer-order moments the discrete Gaussian
     * matches exactly for integer shifts (a sum of discrete Gaussians over the integers is shift-invariant).
     */
    private ModelState aggregateDiscrete(ModelState global, List<ClientUpdate> updates, RoundContext context,
            double clip, double denominator) {
        List<String> names = new ArrayList<>(global.partNames());
        List<INDArray> scratch = new ArrayList<>();
        long total = 0;
        for (String p : names) {
            long len = global.part(p).length();
            scratch.add(Nd4j.createUninitialized(DataType.FLOAT, len));
            total += len;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model too large for one discrete noise call: " + total);
        }
        GridQuantizer grid = new GridQuantizer(clip, total, GridQuantizer.DEFAULT_RESOLUTION);
        long seed = Seeds.derive(context.seed(), "dp-fedavg-discrete");
        KeystreamRandom random = noiseMode == NoiseMode.SECURE ? KeystreamRandom.secure()
                : KeystreamRandom.seeded(seed);
        long[] sum = new long[(int) total];
        long[] q = new long[(int) total];
        float[] flat = new float[(int) total];
        int clipped = 0;
        for (ClientUpdate u : updates) {
            loadDelta(u, global, names, scratch);
            double factor = L2Clip.factor(Vectors.l2Norm(scratch), clip);
            if (factor < 1) {
                clipped++;
            }
            int at = 0;
            for (INDArray part : scratch) {
                float[] v = part.muli(factor).toFloatVector();
                System.arraycopy(v, 0, flat, at, v.length);
                at += v.length;
            }
            grid.quantize(flat, q, random);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += q[i];
            }
        }
        double sigma = updateNoiseMultiplier * grid.sensitivity();
        long variance = (long) Math.ceil(sigma * sigma);
        DiscreteGaussian noise = noiseMode == NoiseMode.SECURE ? DiscreteGaussian.secure()
                : DiscreteGaussian.seeded(Seeds.derive(seed, "noise"));
        for (int i = 0; i < sum.length; i++) {
            sum[i] += noise.sample(variance);
        }
        double scale = grid.gamma() / denominator;
        Map<String, INDArray> next = new LinkedHashMap<>();
        int at = 0;
        for (String p : names) {
            INDArray g = global.part(p);
            float[] v = new float[(int) g.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (sum[at + i] * scale);
            }
            at += v.length;
            next.put(p, Nd4j.createFromArray(v).reshape(g.shape()).addi(g));
        }
        context.safeMetric("dp_clip_norm", clip);
        context.metric("dp_clipped_fraction", updates.isEmpty() ? 0 : clipped / (double) updates.size());
        context.safeMetric("dp_noise_std", Math.sqrt((double) variance) * grid.gamma() / denominator);
        context.safeMetric("dp_grid", grid.gamma());
        context.metric("dp_clients", updates.size());
        if (ledger != null) {
            ledger.charge(context, noiseMultiplier);
        }
        return ModelState.of(global.round(), next);
    }

    /** Whether this aggregator receives the unmasked sum of client-clipped deltas ({@link Builder#secureSum}). */
    public boolean secureSum() {
        return !Double.isNaN(secureSumRounding);
    }

    /** The per-coordinate rounding bound r of the secure sum ({@link Builder#secureSum}); NaN without one. */
    public double secureSumRounding() {
        return secureSumRounding;
    }

    /** Whether the noise is the exact discrete Gaussian on a quantized sum ({@link Builder#discreteNoise}). */
    public boolean discreteNoise() {
        return discrete;
    }

    @Override
    public void checkRun(PrivateRunSetup setup) {
        if (setup.privateOutputs() == null) {
            throw new IllegalArgumentException("a DP-FedAvg run must publish only private outputs (raw client"
                    + " losses, counts and norms would leave the server un-noised): set the server's privateOutputs,"
                    + " or set the run up with PrivateFederation");
        }
        if (secureSum() && !(setup.aggregator() instanceof org.fedgen.privacy.secagg.SecureAggregator)) {
            throw new IllegalArgumentException("DP-FedAvg built for a secure sum does not clip, so it must sit under"
                    + " secure aggregation (the server's aggregator), got " + setup.aggregator());
        }
        if (setup.federatedEvaluation()) {
            throw new IllegalArgumentException("a DP-FedAvg run cannot evaluate on the clients' own data: federated"
                    + " evaluation releases un-noised client statistics; turn it off (interval 0)");
        }
        if (!setup.sampler().isPoisson()) {
            DpChecks.requirePoissonSampling(setup.sampler(), allowFixedSizeSampling);
            if (ledger != null) {
                ledger.caveat("fixed-size sampling " + setup.sampler() + " accounted as Poisson sampling");
            }
        } else if (!setup.sampler().isSecure() && ledger != null) {
            ledger.caveat("client sampling " + setup.sampler() + " seeded from the run seed (anyone who knows it"
                    + " knows who took part)");
        }
        double q = setup.sampler().expectedClients(setup.population()) / setup.population();
        if (discrete && q < 1 && ledger != null) {
            // The integer-order moment match with the sampled Gaussian is our argument, not a published theorem.
            ledger.caveat("discrete Gaussian noise with client subsampling (q = " + q + " < 1) accounted as the"
                    + " sampled Gaussian, which no published theorem covers");
        }
        DpChecks.requireCompatible(setup.aggregator(), setup.initialState());
    }

    /** Writes client k's delta for every part into the scratch vectors. */
    private static void loadDelta(ClientUpdate u, ModelState global, List<String> names, List<INDArray> scratch) {
        if (u.kind() == PayloadKind.GRADIENT) {
            throw new IllegalArgumentException("DP-FedAvg clips model deltas, but client " + u.clientId()
                    + " sent a GRADIENT payload; ask clients for WEIGHTS or DELTA");
        }
        for (int i = 0; i < names.size(); i++) {
            String p = names.get(i);
            INDArray payload = u.part(p);
            INDArray target = scratch.get(i);
            if (payload.length() != target.length()) {
                throw new IllegalArgumentException("client " + u.clientId() + " sent part '" + p + "' of length "
                        + payload.length() + ", expected " + target.length());
            }
            target.assign(payload);
            if (u.kind() == PayloadKind.WEIGHTS) {
                target.subi(global.part(p));
            }
        }
    }

    private double weight(ClientUpdate u) {
        return weighting == ClientWeighting.UNIFORM ? 1.0 : Math.min(u.numExamples() / weightCap, 1.0);
    }

    /** The adaptive clip norm ({@code dp_clip_norm}, bit-exact) and the ledger's accumulated RDP (under {@code ledger/}). */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        if (adaptive != null) {
            s.put(CLIP_STATE, ExactState.ofDoubles(adaptive.clipNorm()));
        }
        if (ledger != null) {
            ledger.state().forEach((k, v) -> s.put(LEDGER_PREFIX + k, v));
        }
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        if (state.isEmpty()) {
            return;
        }
        Map<String, INDArray> ledgerState = new LinkedHashMap<>();
        INDArray clip = null;
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            if (e.getKey().equals(CLIP_STATE) && adaptive != null) {
                clip = e.getValue();
            } else if (e.getKey().startsWith(LEDGER_PREFIX) && ledger != null) {
                ledgerState.put(e.getKey().substring(LEDGER_PREFIX.length()), e.getValue());
            } else {
                throw new IllegalArgumentException("DP-FedAvg" + (adaptive == null ? " without adaptive clipping" : "")
                        + (ledger == null ? " without a ledger" : "") + " cannot restore state entry '" + e.getKey()
                        + "'");
            }
        }
        if (adaptive != null) {
            if (clip == null) {
                throw new IllegalArgumentException("DP-FedAvg state lacks '" + CLIP_STATE + "', has " + state.keySet());
            }
            // A float32 scalar is the format before the exact encoding.
            adaptive.restoreClipNorm(clip.length() == 1 ? clip.getDouble(0) : ExactState.toDouble(CLIP_STATE, clip));
        }
        if (ledger != null) {
            ledger.restoreState(ledgerState);
        }
    }

    @Override
    public String toString() {
        return "DpFedAvg{S=" + clipNorm() + ", z=" + noiseMultiplier + ", zDelta=" + updateNoiseMultiplier
                + ", weighting=" + weighting + (weighting == ClientWeighting.CAPPED ? "(cap=" + weightCap + ")" : "")
                + ", noise=" + noiseMode + (discrete ? " discrete" : "") + ", adaptive=" + (adaptive != null)
                + (secureSum() ? ", secure sum (rounding " + secureSumRounding + ")" : "") + '}';
    }

    /** Builder for {@link DpFedAvg}. */
    public static final class Builder {
        private double clipNorm = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private ClientWeighting weighting = ClientWeighting.UNIFORM;
        private double weightCap = Double.NaN;
        private NoiseMode noiseMode = NoiseMode.SECURE;
        private AdaptiveClipping adaptive;
        private PrivacyLedger ledger;
        private boolean allowFixedSizeSampling;
        private boolean discrete;
        private double secureSumRounding = Double.NaN;

        private Builder() {
        }

        /**
         * Receive, instead of client updates, the one unmasked sum of the clients' own clipped, quantised deltas
         * from secure aggregation, each coordinate of each client's code within {@code rounding} of its clipped
         * delta: nothing is clipped here, and the noise is calibrated to S + rounding·√d. Needs UNIFORM weights and a
         * fixed clip norm; only secure aggregation may feed such an aggregator. With {@link #discreteNoise} the sum
         * arrives as integer codes and gets discrete Gaussian noise before it is scaled back.
         */
        public Builder secureSum(double rounding) {
            secureSumRounding = rounding;
            return this;
        }

        /**
         * Floating-point-safe noise: quantize clipped deltas to a grid and add exactly sampled discrete Gaussian noise
         * to their integer sum (needs UNIFORM weights and a fixed clip norm).
         */
        public Builder discreteNoise(boolean d) {
            discrete = d;
            return this;
        }

        /**
         * Accept a fixed-size sampler: ε is then computed as if clients were Poisson-sampled with q = k/W, an
         * approximation recorded as a caveat on the ledger (ε published as not a guarantee).
         */
        public Builder allowFixedSizeSampling(boolean allow) {
            allowFixedSizeSampling = allow;
            return this;
        }

        /** S, the fixed clip norm (ignored when adaptive clipping is set). */
        public Builder clipNorm(double s) {
            clipNorm = s;
            return this;
        }

        /** z: the noise std on the sum is zS. */
        public Builder noiseMultiplier(double z) {
            noiseMultiplier = z;
            return this;
        }

        /** Client weights; {@link ClientWeighting#SAMPLE_COUNT} is refused at {@link #build()}. */
        public Builder weighting(ClientWeighting w) {
            weighting = w == null ? ClientWeighting.UNIFORM : w;
            return this;
        }

        /** CAPPED weighting with cap ŵ: w_k = min(n_k/ŵ, 1). */
        public Builder cappedWeights(double cap) {
            weighting = ClientWeighting.CAPPED;
            weightCap = cap;
            return this;
        }

        /** Where the Gaussian noise comes from (secure or seeded). */
        public Builder noiseMode(NoiseMode mode) {
            noiseMode = mode == null ? NoiseMode.SECURE : mode;
            return this;
        }

        /** Replaces the fixed clip norm by an adaptive one. */
        public Builder adaptiveClipping(AdaptiveClipping a) {
            adaptive = a;
            return this;
        }

        /** Charges {@code l} once per round with q = qW/W and z, and reports ε in the round's metrics. */
        public Builder ledger(PrivacyLedger l) {
            ledger = l;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public DpFedAvg build() {
            return new DpFedAvg(this);
        }
    }
}
