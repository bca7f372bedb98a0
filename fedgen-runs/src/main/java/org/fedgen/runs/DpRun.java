package org.fedgen.runs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.aggregate.ServerOptimizer;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sampling.ClientSampler;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sampling.PoissonSampler;
import org.fedgen.core.sim.Simulation;
import org.fedgen.core.util.Seeds;
import org.fedgen.privacy.AdaptiveClipping;
import org.fedgen.privacy.DpChecks;
import org.fedgen.privacy.DpFedAvg;
import org.fedgen.privacy.NoiseMode;
import org.fedgen.privacy.PrivacyBudget;
import org.fedgen.privacy.PrivacyLedger;
import org.fedgen.privacy.RdpAccountant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a run into a DP-FedAvg run when it has {@link DpSettings} ({@code --dp-noise} on the CLI): Poisson client sampling,
 * DP-FedAvg with a privacy ledger on the protected parts (other parts local-only, or as the model's recipe routes
 * them, e.g. a server-trained generator), optional server momentum as post-processing, and a budget stop. Refuses
 * combinations that would break the guarantee, through {@link DpChecks}. Without DP settings it changes nothing.
 */
final class DpRun {
    private static final Logger LOG = LoggerFactory.getLogger(DpRun.class);

    private final DpSettings d;
    private final ClientSampler sampler;
    private final PartPolicy policy;
    private final PrivacyLedger ledger;
    private final double q;

    /**
     * @param o      the run's configuration
     * @param recipe the model family
     * @param shards the clients' data; empty shards are not clients (the simulation drops them)
     * @throws IllegalArgumentException naming the DP option or combination that is not allowed
     */
    DpRun(RunConfig o, ModelRecipe recipe, List<Dataset> shards) {
        this.d = o.dp();
        if (d == null) {
            sampler = null;
            policy = null;
            ledger = null;
            q = Double.NaN;
            return;
        }
        require(d.noise() >= 0 && Double.isFinite(d.noise()), "--dp-noise must be finite and >= 0, got "
                + d.noise());
        require(d.clip() != null, "--dp-clip S is required with --dp-noise");
        require(d.clip() > 0 && Double.isFinite(d.clip()), "--dp-clip must be finite and > 0, got " + d.clip());
        require(d.delta() > 0 && d.delta() < 1, "--dp-delta must be in (0, 1), got " + d.delta());
        require(d.targetEpsilon() == null || d.targetEpsilon() > 0,
                "--dp-target-epsilon must be > 0, got " + d.targetEpsilon());
        require(!o.centralized(), "--centralized has one client holding all data; client-level DP needs clients");
        int population = (int) shards.stream().filter(s -> s.size() > 0).count();

        this.sampler = sampler(o, population);
        DpChecks.requirePoissonSampling(sampler, d.allowFixedSizeSampling());
        double expected = sampler.expectedClients(population);
        this.q = expected / population;
        this.ledger = new PrivacyLedger(new RdpAccountant(RdpAccountant.defaultOrders(), population), d.delta(),
                d.conversion());

        DpFedAvg.Builder dp = DpFedAvg.builder().clipNorm(d.clip()).noiseMultiplier(d.noise()).ledger(ledger)
                .noiseMode(d.seededNoise() ? NoiseMode.SEEDED : NoiseMode.SECURE);
        if (d.adaptiveClip()) {
            dp.adaptiveClipping(AdaptiveClipping.withDefaults(d.clip(), expected));
        }
        DpFedAvg dpFedAvg = dp.build();
        Aggregator top = d.serverLearningRate() == 1.0 && d.serverMomentum() == 0.0 ? dpFedAvg
                : ServerOptimizer.fedAvgM(dpFedAvg, d.serverLearningRate(), d.serverMomentum());

        ModelState model = recipe.factory().get().initialize(Seeds.derive(o.seed(), "dp-part-names"));
        this.policy = policy(recipe.aggregator(o, top), top, model);
        switch (o.aggregator()) {
            case fedavg -> { }
            case mmd -> DpChecks.requireCompatible(PartPolicy.builder().route(FederatedRun.mmdAggregator(o),
                    recipe.generatorPart()).otherwise(top).build(), model);
            default -> throw new IllegalArgumentException("--aggregator " + o.aggregator() + " cannot be combined with"
                    + " --dp-noise: DP runs aggregate the protected parts with DP-FedAvg (use --aggregator fedavg)");
        }
        DpChecks.requireCompatible(policy, model);
        LOG.info("DP-FedAvg run: {} over {}, sampler {} (q = {}), delta = {}, conversion {}{}", dpFedAvg, policy,
                sampler, q, d.delta(), d.conversion(), d.targetEpsilon() == null ? ""
                        : ", target epsilon " + d.targetEpsilon() + " (at most "
                        + ledger.roundsWithin(d.targetEpsilon(), q, d.noise()) + " rounds)");
    }

    /** Whether the run is differentially private. */
    boolean enabled() {
        return d != null;
    }

    /** The DP part policy, or {@code nonPrivate} when DP is off. */
    Aggregator aggregator(Aggregator nonPrivate) {
        return enabled() ? policy : nonPrivate;
    }

    /** Sets the DP sampler and the budget stop on a simulation; nothing when DP is off. */
    Simulation.Builder configure(Simulation.Builder b) {
        if (!enabled()) {
            return b;
        }
        b.sampler(sampler);
        if (d.targetEpsilon() != null) {
            b.listener(new PrivacyBudget(ledger, d.targetEpsilon(), q, d.noise()));
        }
        return b;
    }

    /** The run's ledger; null when DP is off. */
    PrivacyLedger ledger() {
        return ledger;
    }

    private ClientSampler sampler(RunConfig o, int population) {
        require(d.q() == null || d.clientsPerRound() == null, "give --dp-q or --dp-clients-per-round, not both");
        boolean poisson = d.q() != null || d.clientsPerRound() != null;
        require(!(poisson && o.clientsPerRound() > 0), "--clients-per-round draws a fixed number of clients; with"
                + " --dp-q / --dp-clients-per-round (Poisson sampling) leave it at 0");
        if (d.q() != null) {
            require(d.q() > 0 && d.q() <= 1, "--dp-q must be in (0, 1], got " + d.q());
            return new PoissonSampler(d.q());
        }
        if (d.clientsPerRound() != null) {
            require(d.clientsPerRound() > 0 && d.clientsPerRound() <= population, "--dp-clients-per-round must be in "
                    + "(0, " + population + "] (the number of clients), got " + d.clientsPerRound());
            return new PoissonSampler(d.clientsPerRound() / population);
        }
        // Every client every round is Poisson sampling with q = 1.
        return o.clientsPerRound() == 0 ? new PoissonSampler(1.0) : FixedSizeSampler.count(o.clientsPerRound());
    }

    /**
     * The protected parts go to {@code top}; parts the recipe keeps local-only or server-trained stay so; with a list
     * of parts, every other part becomes local-only.
     */
    private PartPolicy policy(Aggregator routed, Aggregator top, ModelState model) {
        Set<String> parts = model.partNames();
        PartPolicy recipePolicy = routed instanceof PartPolicy p ? p : null;
        if (d.allParts()) {
            return recipePolicy != null ? recipePolicy : PartPolicy.all(routed);
        }
        Set<String> chosen = new LinkedHashSet<>(d.parts());
        for (String p : chosen) {
            require(parts.contains(p), "--dp-parts names '" + p + "', but the model's parts are " + parts);
        }
        PartPolicy.Builder b = PartPolicy.builder();
        for (String p : parts) {
            if (recipePolicy != null && recipePolicy.serverTrained().contains(p)) {
                require(!chosen.contains(p), "--dp-parts names '" + p + "', which only the server trains");
                b.serverTrained(p);
            } else if (chosen.contains(p)) {
                b.route(top, p);
            } else {
                b.localOnly(p);
            }
        }
        return b.build();
    }


    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
