package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

import java.util.LinkedHashSet;
import java.util.List;
import org.fedgen.core.Aggregator;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.Simulation;
import org.fedgen.core.util.Seeds;
import org.fedgen.privacy.DpChecks;
import org.fedgen.privacy.DpSettings;
import org.fedgen.privacy.NoiseMode;
import org.fedgen.privacy.PrivacyLedger;
import org.fedgen.privacy.PrivateFederation;
import org.fedgen.privacy.secagg.FixedPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a run into a DP-FedAvg run when it has a client-level {@link DpConfig} ({@code --dp-noise} on the CLI): maps
 * it to the privacy library's {@link DpSettings} and lets {@link PrivateFederation} set the run up (Poisson sampling, DP-FedAvg
 * with the run's ledger on the protected parts, other parts local-only or as the model's recipe routes them, optional
 * server momentum or FedAdam / FedYogi ({@code --server-opt}) as post-processing, budget stop, private outputs); the
 * guarantee's checks run when the simulation is built. A record-level configuration adds DP-SGD in the clients
 * ({@link RecordDpRun}); with {@link DpUnit#both} the run has both, one ledger per unit. Without a DP configuration
 * it changes nothing.
 */
final class DpRun {
    private static final Logger LOG = LoggerFactory.getLogger(DpRun.class);

    private final DpConfig d;
    private final PrivateFederation federation;
    private final PartPolicy policy;
    /** The record-level setup, or null for client-level DP or none. */
    private final RecordDpRun record;

    /**
     * @param o      the run's configuration
     * @param recipe the model family
     * @param shards the clients' data; empty shards are not clients (the simulation drops them)
     * @throws IllegalArgumentException naming the DP option or combination that is not allowed
     */
    DpRun(RunConfig o, ModelRecipe recipe, List<Dataset> shards) {
        this.d = o.dp();
        require(d == null || d.unit() == DpUnit.both || (d.recordNoise() == null && d.recordClip() == null
                && d.recordTargetEpsilon() == null), "--dp-record-noise, --dp-record-clip and"
                + " --dp-record-target-epsilon set DP-SGD next to DP-FedAvg and need --dp-unit both; got --dp-unit "
                + (d == null ? null : d.unit()));
        record = d != null && d.recordLevel() ? new RecordDpRun(o, recipe, shards) : null;
        if (d == null || !d.clientLevel()) {
            federation = null;
            policy = null;
            return;
        }
        require(d.clip() != null, "--dp-clip S is required with --dp-noise");
        require(!o.centralized(), "--centralized has one client holding all data; client-level DP needs clients");
        int population = (int) shards.stream().filter(s -> s.size() > 0).count();
        require(d.clientsPerRound() == null || (d.clientsPerRound() > 0 && d.clientsPerRound() <= population),
                "--dp-clients-per-round must be in (0, " + population + "] (the number of clients), got "
                        + d.clientsPerRound());
        this.federation = PrivateFederation.of(settings(o), population);
        if (record != null) {
            // Two guarantees in one run: each metric names its unit (client_epsilon next to record_epsilon_max).
            federation.ledger().metricPrefix("client_");
        }

        ModelState model = recipe.factory().get().initialize(Seeds.derive(o.seed(), "dp-part-names"));
        Aggregator routed = recipe.aggregator(o, federation.aggregator());
        this.policy = federation.policy(model.partNames(), routed instanceof PartPolicy p ? p
                : PartPolicy.all(routed));
        switch (o.aggregator()) {
            case fedavg -> { }
            case mmd -> DpChecks.requireCompatible(PartPolicy.builder().route(FederatedRun.mmdAggregator(o),
                    recipe.generatorPart()).otherwise(federation.aggregator()).build(), model);
            default -> throw new IllegalArgumentException("--aggregator " + o.aggregator() + " cannot be combined with"
                    + " --dp-noise: DP runs aggregate the protected parts with DP-FedAvg (use --aggregator fedavg)");
        }
    }

    /** Whether the run is differentially private. */
    boolean enabled() {
        return d != null;
    }

    /**
     * The DP part policy (with both units, wrapped to charge the record-level ledger too), or {@code nonPrivate} when
     * DP is off or record-level only.
     */
    Aggregator aggregator(Aggregator nonPrivate) {
        if (federation == null) {
            return nonPrivate;
        }
        // --dp-parts is refused with both units, so the policy keeps no part on the clients that the wrapper hides.
        return record != null ? record.wrapBase(policy) : policy;
    }

    /**
     * The configuration's base rule before the model's recipe routes it: wrapped to charge the record-level ledger
     * in a record-level-only run, unchanged otherwise.
     */
    Aggregator wrapBase(Aggregator base) {
        return record != null && federation == null ? record.wrapBase(base) : base;
    }

    /**
     * Makes the simulation private ({@link PrivateFederation#applyTo}) with {@code top} as its aggregator: the DP part
     * policy, or secure aggregation over it; with record-level DP the clients' DP-SGD and its budget too; nothing
     * when DP is off.
     */
    Simulation.Builder configure(Simulation.Builder b, Aggregator top) {
        if (record != null) {
            record.configure(b);
        }
        if (federation == null) {
            return b;
        }
        federation.applyTo(b, top);
        if (record != null) {
            PrivacyLedger clientLedger = federation.ledger();
            b.listener(new RoundListener() {
                @Override
                public void onRoundEnd(RoundResult result) {
                }

                @Override
                public void onRunEnd(ModelState finalState) {
                    LOG.info("after round {}: client-level {}", finalState.round(), clientLedger.describeSpent());
                }
            });
        }
        return b;
    }

    /** The run's client-level ledger; null when DP is off or record-level only. */
    PrivacyLedger ledger() {
        return federation != null ? federation.ledger() : null;
    }

    /** The run's record-level ledger; null unless the run is record-level. */
    org.fedgen.privacy.RecordLevelLedger recordLedger() {
        return record != null ? record.ledger() : null;
    }

    /** The run's DP configuration as library settings; the library checks the values and names them. */
    private DpSettings settings(RunConfig o) {
        require(d.q() == null || d.clientsPerRound() == null, "give --dp-q or --dp-clients-per-round, not both");
        boolean poisson = d.q() != null || d.clientsPerRound() != null;
        require(!(poisson && o.clientsPerRound() > 0), "--clients-per-round draws a fixed number of clients; with"
                + " --dp-q / --dp-clients-per-round (Poisson sampling) leave it at 0");
        require(o.clientsPerRound() == 0 || d.allowFixedSizeSampling(), "a DP run must sample clients with the"
                + " Poisson sampler (each client joins with probability q), which the privacy accountant assumes; got"
                + " --clients-per-round " + o.clientsPerRound() + ". Use --dp-q or --dp-clients-per-round, or accept"
                + " the approximation explicitly with --dp-allow-fixed-size-sampling");
        require(d.q() == null || (d.q() > 0 && d.q() <= 1), "--dp-q must be in (0, 1], got " + d.q());
        require(d.noise() > 0 && Double.isFinite(d.noise()), "--dp-noise must be finite and > 0 (z = 0 is no"
                + " privacy), got " + d.noise());
        require(d.clip() > 0 && Double.isFinite(d.clip()), "--dp-clip must be finite and > 0, got " + d.clip());
        require(d.delta() > 0 && d.delta() < 1, "--dp-delta must be in (0, 1), got " + d.delta());
        require(d.targetEpsilon() == null || (d.targetEpsilon() > 0 && Double.isFinite(d.targetEpsilon())),
                "--dp-target-epsilon must be finite and > 0, got " + d.targetEpsilon());
        DpSettings.Builder b = DpSettings.builder().noiseMultiplier(d.noise()).clipNorm(d.clip()).delta(d.delta())
                .targetEpsilon(d.targetEpsilon()).conversion(d.conversion())
                .adaptiveClipping(d.adaptiveClip()).seededSampling(d.seededSampling())
                .discreteNoise(d.discreteNoise())
                .noiseMode(d.seededNoise() ? NoiseMode.SEEDED : NoiseMode.SECURE)
                .serverOptimizer(d.serverLearningRate(), d.serverMomentum())
                .protectedParts(d.allParts() ? java.util.Set.of() : new LinkedHashSet<>(d.parts()));
        if (o.serverOptimizer() == ServerOptimizerKind.adam || o.serverOptimizer() == ServerOptimizerKind.yogi) {
            // RunConfig refused --dp-server-lr / --dp-server-momentum next to it: this replaces the FedAvgM step.
            b.serverOptimizer(o.serverOptimizer().stepKind(), o.serverLearningRate(), o.serverMomentum(),
                    o.serverBeta2(), o.serverTau()).serverLearningRateDecay(o.serverLrDecay());
        }
        if (o.secureAggregation() != null) {
            // DP-FedAvg then receives the unmasked sum of the clients' clipped codes (RunConfig refuses the rest).
            b.secureSum(1 / (2 * new FixedPoint(o.secureAggregation().bits(), o.secureAggregation().range()).scale()));
        }
        if (d.q() != null) {
            b.samplingRate(d.q());
        } else if (d.clientsPerRound() != null) {
            b.expectedClientsPerRound(d.clientsPerRound());
        } else if (o.clientsPerRound() > 0) {
            b.fixedClientsPerRound(o.clientsPerRound());
        }
        return b.build();
    }
}
