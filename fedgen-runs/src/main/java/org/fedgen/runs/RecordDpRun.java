package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.fedgen.core.Aggregator;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.privacy.PrivateOutputs;
import org.fedgen.core.sim.Simulation;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.ddpm.Ddpm;
import org.fedgen.models.dpsgd.Batching;
import org.fedgen.models.dpsgd.DpSgdPlan;
import org.fedgen.models.dpsgd.GradientNoise;
import org.fedgen.models.dpsgd.RecordDp;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.models.vae.Vae;
import org.fedgen.privacy.GaussianNoise;
import org.fedgen.privacy.RecordLevelAccounting;
import org.fedgen.privacy.RecordLevelBudget;
import org.fedgen.privacy.RecordLevelLedger;
import org.fedgen.privacy.RecordLevelLedger.ClientPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record-level private run ({@code --dp-unit record}): every client trains with DP-SGD ({@link RecordDp}: Poisson
 * batches, per-example clipping to {@code --dp-clip}, noise {@code --dp-noise}), a {@link RecordLevelLedger} accounts
 * each client's (q_k = B/n_k, σ, steps) per round, the aggregation rule is wrapped so it charges the ledger and
 * publishes the ε's, the outputs are private (no client losses or federated evaluation), and {@code
 * --dp-target-epsilon} stops the run on the maximum client ε. The clients' record counts n_k are treated as public:
 * they set q_k and FedAvg's weights.
 */
final class RecordDpRun {
    private static final Logger LOG = LoggerFactory.getLogger(RecordDpRun.class);

    private final DpConfig d;
    private final RecordDp dp;
    private final RecordLevelLedger ledger;
    private final Supplier<GenerativeModel> factory;

    /**
     * @throws IllegalArgumentException naming the option or combination that record-level DP does not support
     */
    RecordDpRun(RunConfig o, ModelRecipe recipe, List<Dataset> shards) {
        this.d = o.dp().recordPart();
        refuseUnsupported(o);
        this.dp = RecordDp.builder(d.noise(), d.clip())
                .batching(d.fixedSizeBatches() ? Batching.FIXED_SIZE : Batching.POISSON)
                .seededSampling(d.seededSampling()).noise(noise(d.seededNoise())).build();
        FitInstructions ins = recipe.fitDefaults(o).build();
        int batchesPerStep = o.model() instanceof GanSettings g ? g.effectiveCriticSteps() : 1;
        Map<Integer, ClientPlan> plans = new LinkedHashMap<>();
        for (int k = 0; k < shards.size(); k++) {
            if (shards.get(k).size() > 0) {
                DpSgdPlan p = DpSgdPlan.of(ins, shards.get(k).size(), batchesPerStep);
                plans.put(k, new ClientPlan(p.q(), p.steps()));
            }
        }
        this.ledger = new RecordLevelLedger(plans, d.noise(), d.delta(), d.conversion());
        if (d.seededSampling()) {
            ledger.caveat("batches sampled from the run seed");
        }
        if (d.fixedSizeBatches()) {
            ledger.caveat("fixed-size batches accounted as Poisson batches");
        }
        if (d.seededNoise()) {
            ledger.caveat("DP-SGD noise derived from the run seed");
        }
        Supplier<GenerativeModel> plain = recipe.factory();
        this.factory = () -> attach(plain.get());
        LOG.info("record-level DP: {} on every client, {} clients, delta = {}{}", dp, plans.size(), d.delta(),
                d.targetEpsilon() == null ? "" : ", target record-level epsilon " + d.targetEpsilon());
    }

    private void refuseUnsupported(RunConfig o) {
        // With --dp-unit both the DP-SGD values come from the --dp-record-* options.
        boolean both = o.dp().unit() == DpUnit.both;
        String noise = both ? "--dp-record-noise" : "--dp-noise";
        String clip = both ? "--dp-record-clip" : "--dp-clip";
        String target = both ? "--dp-record-target-epsilon" : "--dp-target-epsilon";
        require(!both || !Double.isNaN(d.noise()), "--dp-unit both needs --dp-record-noise sigma (DP-SGD's noise"
                + " multiplier; --dp-noise is DP-FedAvg's)");
        require(d.clip() != null, clip + " C (the per-example clip norm) is required with --dp-unit "
                + o.dp().unit());
        require(d.noise() > 0 && Double.isFinite(d.noise()), noise + " must be finite and > 0 (sigma = 0 is no"
                + " privacy), got " + d.noise());
        require(d.clip() > 0 && Double.isFinite(d.clip()), clip + " must be finite and > 0, got " + d.clip());
        require(d.delta() > 0 && d.delta() < 1, "--dp-delta must be in (0, 1), got " + d.delta());
        require(d.targetEpsilon() == null || (d.targetEpsilon() > 0 && Double.isFinite(d.targetEpsilon())),
                target + " must be finite and > 0, got " + d.targetEpsilon());
        require(!d.fixedSizeBatches() || d.allowFixedSizeSampling(), "fixed-size DP-SGD batches break the Poisson"
                + " sampling the accountant assumes; accept an epsilon labelled 'not a guarantee' with"
                + " --dp-allow-fixed-size-sampling, or drop --dp-fixed-size-batches");
        String clientLevel = d.q() != null ? "--dp-q" : d.clientsPerRound() != null ? "--dp-clients-per-round"
                : d.adaptiveClip() ? "--dp-adaptive-clip" : d.discreteNoise() ? "--dp-noise-mode discrete"
                : !d.allParts() ? "--dp-parts" : d.serverLearningRate() != 1.0 ? "--dp-server-lr"
                : d.serverMomentum() != 0.0 ? "--dp-server-momentum" : null;
        require(clientLevel == null, clientLevel + " configures client-level DP-FedAvg; --dp-unit record protects"
                + " records with DP-SGD on every client (--dp-unit both adds client-level DP-FedAvg)");
        require(o.dp().unit() != DpUnit.both || o.dp().allParts(), "--dp-parts " + String.join(",",
                o.dp().parts()) + " cannot be combined with --dp-unit both: DP-SGD trains every part on the clients,"
                + " so DP-FedAvg must protect them all (drop --dp-parts)");
        require(o.secureAggregation() == null, "secure aggregation is not supported with --dp-unit "
                + o.dp().unit() + " yet");
        require(o.aggregator() != AggregatorKind.fedsgd, "--aggregator fedsgd sends full-data gradients that DP-SGD"
                + " does not protect; use fedavg or fedprox with --dp-unit record");
        require(o.aggregator() != AggregatorKind.mmd, "--aggregator mmd weights clients by MMD scores computed from"
                + " their records without noise; use fedavg or fedprox with --dp-unit record");
        if (o.model() instanceof GanSettings g) {
            require(g.topology() != GanTopology.MDGAN && g.topology() != GanTopology.IFLGAN, "--topology "
                    + g.topology() + " cannot run with --dp-unit record: "
                    + (g.topology() == GanTopology.MDGAN ? "its clients return input gradients outside DP-SGD"
                    : "its MMD weights are computed from the records without noise")
                    + "; use flgan or dpfedavg-gan");
            require(g.pack() == 1, "--pack " + g.pack() + " mixes several records in one critic row, which"
                    + " per-example clipping cannot separate; use --pack 1 with --dp-unit record");
            require(!(g.conditional() && g.topology() == GanTopology.FLGAN), "a conditional FL-GAN trains its"
                    + " generator on labels drawn from the records; use --topology dpfedavg-gan (generator on the"
                    + " server) or an unconditional GAN with --dp-unit record");
        }
        if (o.model() instanceof DdpmSettings s) {
            require(s.denoiser() == DdpmSettings.DenoiserKind.mlp, "--denoiser " + s.denoiser() + " has no"
                    + " per-example gradient norms; use --denoiser mlp with --dp-unit record");
        }
    }

    private static java.util.function.LongFunction<GradientNoise> noise(boolean seeded) {
        return seeded ? seed -> GaussianNoise.seeded(Seeds.derive(seed, "dp-sgd/noise"))::addTo
                : seed -> GaussianNoise.secure()::addTo;
    }

    private GenerativeModel attach(GenerativeModel m) {
        if (m instanceof Vae v) {
            return v.privately(dp);
        }
        if (m instanceof Gan g) {
            return g.privately(dp);
        }
        if (m instanceof Ddpm p) {
            return p.privately(dp);
        }
        throw new IllegalArgumentException("record-level DP does not support the model " + m.getClass().getName());
    }

    /** The configuration's base aggregation rule, charging the ledger each round. */
    Aggregator wrapBase(Aggregator base) {
        return new RecordLevelAccounting(base, ledger);
    }

    /** Private clients, private outputs, no federated evaluation, the budget stop and an end-of-run summary. */
    Simulation.Builder configure(Simulation.Builder b) {
        b.model(factory).privateOutputs(PrivateOutputs.standard()).federatedEvaluation(0);
        if (d.targetEpsilon() != null) {
            b.listener(new RecordLevelBudget(ledger, d.targetEpsilon()));
        }
        return b.listener(new RoundListener() {
            @Override
            public void onRoundEnd(RoundResult result) {
            }

            @Override
            public void onRunEnd(ModelState finalState) {
                LOG.info("after round {}: {}", finalState.round(), ledger.describe());
            }
        });
    }

    /** The run's record-level ledger. */
    RecordLevelLedger ledger() {
        return ledger;
    }
}
