package org.fedgen.privacy;

import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.privacy.PrivateOutputs;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sampling.PoissonSampler;
import org.fedgen.core.sim.Simulation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a federated run differentially private in one call, in the spirit of Opacus' {@code make_private}:
 * <pre>
 *   PrivateFederation dp = PrivateFederation.of(settings, population);
 *   dp.applyTo(simulationBuilder);            // or applyTo(builder, policy built around dp.aggregator())
 * </pre>
 * It builds the run's one {@link PrivacyLedger}, the {@link DpFedAvg} that charges it (with adaptive clipping, whose
 * count noise is part of the z it charges) under the settings' server optimizer if any, the Poisson sampler (secure
 * unless seeded sampling is asked for), the budget stop, and marks the run private
 * ({@link PrivateOutputs#standard()}: only ε, δ, public settings, noised statistics and the server's own evaluation
 * are published; federated evaluation is turned off). The compatibility
 * checks run when the simulation is built, because {@link DpFedAvg} is a
 * {@link org.fedgen.core.privacy.PrivacyGuarantee}: a setup that breaks the guarantee fails there whether or not it
 * was made with this class.
 */
public final class PrivateFederation {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFederation.class);

    private final DpSettings settings;
    private final ClientSampler sampler;
    private final double q;
    private final PrivacyLedger ledger;
    private final DpFedAvg dpFedAvg;
    private final Aggregator aggregator;

    private PrivateFederation(DpSettings s, int population) {
        if (population < 1) {
            throw new IllegalArgumentException("a private federation needs at least one client, got population "
                    + population);
        }
        this.settings = s;
        this.sampler = sampler(s, population);
        double expected = sampler.expectedClients(population);
        this.q = expected / population;
        this.ledger = new PrivacyLedger(new RdpAccountant(RdpAccountant.defaultOrders(), population), s.delta(),
                s.conversion());
        DpFedAvg.Builder dp = DpFedAvg.builder().clipNorm(s.clipNorm()).noiseMultiplier(s.noiseMultiplier())
                .ledger(ledger).noiseMode(s.noiseMode()).allowFixedSizeSampling(s.fixedClientsPerRound() > 0)
                .discreteNoise(s.discreteNoise());
        if (!Double.isNaN(s.secureSumRounding())) {
            dp.secureSum(s.secureSumRounding());
        }
        if (s.adaptiveClipping()) {
            dp.adaptiveClipping(AdaptiveClipping.withDefaults(s.clipNorm(), expected));
        }
        this.dpFedAvg = dp.build();
        this.aggregator = serverStep(s, dpFedAvg);
        LOG.info("private federation: {} over {} clients, sampler {} (q = {}), delta = {}, conversion {}{}",
                dpFedAvg, population, sampler, q, s.delta(), s.conversion(), s.targetEpsilon() == null ? ""
                        : ", target epsilon " + s.targetEpsilon() + " (at most "
                        + ledger.roundsWithin(s.targetEpsilon(), q, s.noiseMultiplier()) + " rounds)");
    }

    /**
     * @param settings   the DP settings
     * @param population W, the number of clients (with data) in the run
     * @throws IllegalArgumentException naming the setting that does not fit the population
     */
    public static PrivateFederation of(DpSettings settings, int population) {
        return new PrivateFederation(settings, population);
    }

    /**
     * The aggregator for the protected parts: DP-FedAvg, inside the server optimizer (FedAvgM, FedAdam or FedYogi)
     * if one was set.
     */
    public Aggregator aggregator() {
        return aggregator;
    }

    /** The DP-FedAvg rule. */
    public DpFedAvg dpFedAvg() {
        return dpFedAvg;
    }

    /** The run's one ledger. */
    public PrivacyLedger ledger() {
        return ledger;
    }

    /**
     * The client sampler the run must use: Poisson (secure unless the settings ask for seeded sampling), or fixed-size
     * when the settings accept that approximation.
     */
    public ClientSampler sampler() {
        return sampler;
    }

    /** q, the per-round sampling rate the ledger charges. */
    public double samplingRate() {
        return q;
    }

    /** The settings this setup was made from. */
    public DpSettings settings() {
        return settings;
    }

    /**
     * The part policy of the run: the protected parts go to {@link #aggregator()}. With every part protected it is
     * {@code layout} (a policy the caller built around {@link #aggregator()}, e.g. with a server-trained generator),
     * or every part to the aggregator when {@code layout} is null; with a list of protected parts, every other part
     * stays on the clients (local-only) and server-trained parts of {@code layout} stay so.
     *
     * @param modelParts the model's parts
     * @throws IllegalArgumentException for a protected part the model lacks or that only the server trains
     */
    public PartPolicy policy(Set<String> modelParts, PartPolicy layout) {
        Set<String> chosen = settings.protectedParts();
        if (chosen.isEmpty()) {
            return layout != null ? layout : PartPolicy.all(aggregator);
        }
        for (String p : chosen) {
            if (!modelParts.contains(p)) {
                throw new IllegalArgumentException("protected part '" + p + "' is not a part of the model, whose"
                        + " parts are " + modelParts);
            }
        }
        PartPolicy.Builder b = PartPolicy.builder();
        for (String p : modelParts) {
            if (layout != null && layout.serverTrained().contains(p)) {
                if (chosen.contains(p)) {
                    throw new IllegalArgumentException("protected part '" + p + "' is one only the server trains");
                }
                b.serverTrained(p);
            } else if (chosen.contains(p)) {
                b.route(aggregator, p);
            } else {
                b.localOnly(p);
            }
        }
        return b.build();
    }

    /** {@link #applyTo(Simulation.Builder, Aggregator)} with every part sent to {@link #aggregator()}. */
    public Simulation.Builder applyTo(Simulation.Builder b) {
        if (!settings.protectedParts().isEmpty()) {
            throw new IllegalArgumentException("with protected parts " + settings.protectedParts() + " give the part"
                    + " policy: applyTo(builder, policy(modelParts, null))");
        }
        return applyTo(b, aggregator);
    }

    /**
     * Makes the simulation private: sets {@code routed} (which must route the sent parts through
     * {@link #aggregator()}) as its aggregator, the sampler, private outputs, no federated evaluation, and the budget
     * stop. The checks run when {@code b} is built.
     */
    public Simulation.Builder applyTo(Simulation.Builder b, Aggregator routed) {
        b.aggregator(routed).sampler(sampler).privateOutputs(PrivateOutputs.standard()).federatedEvaluation(0);
        if (settings.targetEpsilon() != null) {
            b.listener(new PrivacyBudget(ledger, settings.targetEpsilon(), q, settings.noiseMultiplier()));
        }
        return b;
    }

    /**
     * DP-FedAvg under the settings' server optimizer: the step reads only the noisy mean, so it is post-processing.
     * FedAvgM with learning rate 1, no momentum and no decay is no step, and DP-FedAvg is used as it is.
     */
    private static Aggregator serverStep(DpSettings s, DpFedAvg dp) {
        if (s.serverOptimizer() == ServerOptimizer.Kind.AVGM && s.serverLearningRate() == 1.0
                && s.serverMomentum() == 0.0 && s.serverLearningRateDecay() == 1.0) {
            return dp;
        }
        return ServerOptimizer.of(s.serverOptimizer(), dp, s.serverLearningRate(), s.serverMomentum(),
                s.serverBeta2(), s.serverTau()).withLearningRateDecay(s.serverLearningRateDecay());
    }

    private static ClientSampler sampler(DpSettings s, int population) {
        if (s.fixedClientsPerRound() > 0) {
            if (s.fixedClientsPerRound() > population) {
                throw new IllegalArgumentException("fixed clients per round " + s.fixedClientsPerRound()
                        + " exceeds the population " + population);
            }
            return FixedSizeSampler.count(s.fixedClientsPerRound());
        }
        double rate = 1.0;
        if (!Double.isNaN(s.samplingRate())) {
            rate = s.samplingRate();
        } else if (!Double.isNaN(s.expectedClientsPerRound())) {
            if (s.expectedClientsPerRound() > population) {
                throw new IllegalArgumentException("expected clients per round must be in (0, " + population
                        + "] (the number of clients), got " + s.expectedClientsPerRound());
            }
            rate = s.expectedClientsPerRound() / population;
        }
        return s.seededSampling() ? PoissonSampler.seeded(rate) : new PoissonSampler(rate);
    }
}
