package org.fedgen.core;

import static org.fedgen.core.util.Checks.finiteNonNegative;
import static org.fedgen.core.util.Checks.finitePositive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the server asks of a client for one round of local training. Immutable; derive variants with
 * {@link #toBuilder()}.
 *
 * <p>Part sets that are empty mean "every part". {@link #persistParts()} are stored by the client after training and
 * {@link #resumeParts()} are loaded from that store (when present) instead of from the global state: together they
 * express local-only parts (both) and per-client models kept across rounds, as the MMD aggregator's non-adopting
 * clients do.
 */
public final class FitInstructions {
    private final long round;
    private final int localEpochs;
    private final int localSteps;
    private final int batchSize;
    private final double learningRate;
    private final double proximalMu;
    private final long seed;
    private final PayloadKind payloadKind;
    private final Set<String> trainParts;
    private final Set<String> sendParts;
    private final Set<String> persistParts;
    private final Set<String> resumeParts;
    private final boolean reportMmd;
    private final int mmdSamples;
    private final Map<String, String> config;
    private final Map<String, INDArray> serverControl;

    private FitInstructions(Builder b) {
        this.round = b.round;
        this.localEpochs = b.localEpochs;
        this.localSteps = b.localSteps;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.proximalMu = b.proximalMu;
        this.seed = b.seed;
        this.payloadKind = b.payloadKind;
        this.trainParts = Collections.unmodifiableSet(new LinkedHashSet<>(b.trainParts));
        this.sendParts = Collections.unmodifiableSet(new LinkedHashSet<>(b.sendParts));
        this.persistParts = Collections.unmodifiableSet(new LinkedHashSet<>(b.persistParts));
        this.resumeParts = Collections.unmodifiableSet(new LinkedHashSet<>(b.resumeParts));
        this.reportMmd = b.reportMmd;
        this.mmdSamples = b.mmdSamples;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.serverControl = Collections.unmodifiableMap(new LinkedHashMap<>(b.serverControl));
    }

    /** A builder with defaults: 1 local epoch, batch 64, learning rate 1e-3, μ = 0, weights payload. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this object. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.round = round;
        b.localEpochs = localEpochs;
        b.localSteps = localSteps;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.proximalMu = proximalMu;
        b.seed = seed;
        b.payloadKind = payloadKind;
        b.trainParts.addAll(trainParts);
        b.sendParts.addAll(sendParts);
        b.persistParts.addAll(persistParts);
        b.resumeParts.addAll(resumeParts);
        b.reportMmd = reportMmd;
        b.mmdSamples = mmdSamples;
        b.config.putAll(config);
        b.serverControl.putAll(serverControl);
        return b;
    }

    /** The round being trained (1-based). */
    public long round() {
        return round;
    }

    /** Local passes over the client's data; ignored when {@link #localSteps()} is positive. */
    public int localEpochs() {
        return localEpochs;
    }

    /** Local optimizer steps; 0 means "use {@link #localEpochs()}". */
    public int localSteps() {
        return localSteps;
    }

    /** Local minibatch size. */
    public int batchSize() {
        return batchSize;
    }

    /** Local learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** FedProx μ: every local gradient gets + μ(w − w_t). 0 disables the term. */
    public double proximalMu() {
        return proximalMu;
    }

    /** Seed for all of this client's random choices this round (batches, noise). */
    public long seed() {
        return seed;
    }

    /** What the client must send back: weights, a delta or a gradient. */
    public PayloadKind payloadKind() {
        return payloadKind;
    }

    /** Parts the local optimizer updates; empty = all. */
    public Set<String> trainParts() {
        return trainParts;
    }

    /** Parts the client sends back; empty = all. */
    public Set<String> sendParts() {
        return sendParts;
    }

    /** Parts the client stores after training, for {@link #resumeParts()} in later rounds. */
    public Set<String> persistParts() {
        return persistParts;
    }

    /** Parts the client loads from its own store (if it has them) instead of from the global state. */
    public Set<String> resumeParts() {
        return resumeParts;
    }

    /** Whether the client computes and reports its generator's MMD score ({@code "mmd"} metric). */
    public boolean reportMmd() {
        return reportMmd;
    }

    /** Samples per side for the MMD score. */
    public int mmdSamples() {
        return mmdSamples;
    }

    /** Free-form settings for custom models and aggregators (like Flower's config dict); unmodifiable. */
    public Map<String, String> config() {
        return config;
    }

    /**
     * SCAFFOLD's server control c per part (see {@link DriftCorrection}); empty (the default) for every other rule.
     * When present the client corrects its local gradients of these parts by c − c_i, keeps its new control c_i and
     * sends its change Δc_i as {@link ControlParts#of control parts} beside the payload. The arrays are shared, not
     * copied: nobody may modify them.
     */
    public Map<String, INDArray> serverControl() {
        return serverControl;
    }

    /** Whether the named part is trained under these instructions. */
    public boolean trains(String part) {
        return trainParts.isEmpty() || trainParts.contains(part);
    }

    /** Whether the named part is sent under these instructions. */
    public boolean sends(String part) {
        return sendParts.isEmpty() || sendParts.contains(part);
    }

    @Override
    public String toString() {
        return "FitInstructions{round=" + round + ", epochs=" + localEpochs + ", steps=" + localSteps + ", batch="
                + batchSize + ", lr=" + learningRate + ", mu=" + proximalMu + ", payload=" + payloadKind
                + ", train=" + trainParts + ", send=" + sendParts + ", persist=" + persistParts + ", resume="
                + resumeParts + ", mmd=" + reportMmd + ", config=" + config
                + (serverControl.isEmpty() ? "" : ", serverControl=" + serverControl.keySet()) + '}';
    }

    /** Builder for {@link FitInstructions}; every setter checks its argument. */
    public static final class Builder {
        private long round = 1;
        private int localEpochs = 1;
        private int localSteps = 0;
        private int batchSize = 64;
        private double learningRate = 1e-3;
        private double proximalMu = 0;
        private long seed = 0;
        private PayloadKind payloadKind = PayloadKind.WEIGHTS;
        private final Set<String> trainParts = new LinkedHashSet<>();
        private final Set<String> sendParts = new LinkedHashSet<>();
        private final Set<String> persistParts = new LinkedHashSet<>();
        private final Set<String> resumeParts = new LinkedHashSet<>();
        private boolean reportMmd = false;
        private int mmdSamples = 200;
        private final Map<String, String> config = new LinkedHashMap<>();
        private final Map<String, INDArray> serverControl = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@link FitInstructions#round()}. */
        public Builder round(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("round must be >= 0, got " + v);
            }
            round = v;
            return this;
        }

        /** Sets {@link FitInstructions#localEpochs()}. */
        public Builder localEpochs(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("localEpochs must be >= 0, got " + v);
            }
            localEpochs = v;
            return this;
        }

        /** Sets {@link FitInstructions#localSteps()}. */
        public Builder localSteps(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("localSteps must be >= 0, got " + v);
            }
            localSteps = v;
            return this;
        }

        /** Local minibatch size. */
        public Builder batchSize(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + v);
            }
            batchSize = v;
            return this;
        }

        /** Local learning rate. */
        public Builder learningRate(double v) {
            learningRate = finitePositive("learningRate", v);
            return this;
        }

        /** Sets {@link FitInstructions#proximalMu()}. */
        public Builder proximalMu(double v) {
            proximalMu = finiteNonNegative("proximalMu", v);
            return this;
        }

        /** Sets {@link FitInstructions#seed()}. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** What the client must send back: weights, a delta or a gradient. */
        public Builder payloadKind(PayloadKind v) {
            payloadKind = Objects.requireNonNull(v, "payloadKind");
            return this;
        }

        /** Sets {@link FitInstructions#trainParts()}. */
        public Builder trainParts(Set<String> v) {
            trainParts.clear();
            trainParts.addAll(v);
            return this;
        }

        /** Sets {@link FitInstructions#sendParts()}. */
        public Builder sendParts(Set<String> v) {
            sendParts.clear();
            sendParts.addAll(v);
            return this;
        }

        /** Sets {@link FitInstructions#persistParts()}. */
        public Builder persistParts(Set<String> v) {
            persistParts.clear();
            persistParts.addAll(v);
            return this;
        }

        /** Sets {@link FitInstructions#resumeParts()}. */
        public Builder resumeParts(Set<String> v) {
            resumeParts.clear();
            resumeParts.addAll(v);
            return this;
        }

        /** Sets {@link FitInstructions#reportMmd()}. */
        public Builder reportMmd(boolean v) {
            reportMmd = v;
            return this;
        }

        /** Sets {@link FitInstructions#mmdSamples()}. */
        public Builder mmdSamples(int v) {
            if (v < 2) {
                throw new IllegalArgumentException("mmdSamples must be >= 2, got " + v);
            }
            mmdSamples = v;
            return this;
        }

        /** Adds a free-form setting a model or client may read (e.g. a topology option). */
        public Builder config(String key, String value) {
            config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets {@link FitInstructions#serverControl()}: c per part, float32 vectors (empty = no SCAFFOLD correction).
         */
        public Builder serverControl(Map<String, INDArray> v) {
            Map<String, INDArray> checked = new LinkedHashMap<>();
            v.forEach((k, a) -> checked.put(Objects.requireNonNull(k, "part"), ModelState.checkedVector(k, a)));
            serverControl.clear();
            serverControl.putAll(checked);
            return this;
        }

        /** The instructions, immutable. */
        public FitInstructions build() {
            return new FitInstructions(this);
        }
    }
}
