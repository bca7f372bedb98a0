package org.fedgen.models.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PartPolicy;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.aggregate.FedSgd;
import org.fedgen.core.aggregate.MmdAggregator;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.DirichletPartitioner;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.sim.Simulation;
import org.fedgen.core.util.Seeds;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The simulation engine driving the real VAE: determinism across worker counts, FedSGD, MMD aggregation, local parts. */
class FederatedVaeTest {
    private static final VaeConfig SMALL = VaeConfig.builder().hiddenDim(32).latentDim(4).build();
    private static final List<Dataset> SHARDS = shards();

    private static List<Dataset> shards() {
        Dataset d = Digits.bundled().range(0, 600);
        return new DirichletPartitioner(0.5).partition(d.labels(), 6, 3).apply(d);
    }

    private static FitInstructions fit() {
        return FitInstructions.builder().localSteps(4).batchSize(32).learningRate(1e-3).build();
    }

    private static ModelState run(int workers, org.fedgen.core.Aggregator agg, long seed) {
        try (Simulation sim = Simulation.builder().model(() -> new Vae(SMALL)).clientData(SHARDS).workers(workers)
                .aggregator(agg).sampler(FixedSizeSampler.count(4)).rounds(3).seed(seed).fitInstructions(fit())
                .generatorScore(KernelMmd.medianHeuristic()::mmd2).build()) {
            return sim.run();
        }
    }

    @Test
    void oneAndTwoWorkersGiveBitIdenticalModels() {
        ModelState one = run(1, new FedAvg(), 5);
        ModelState two = run(2, new FedAvg(), 5);
        assertTrue(one.bitEquals(two), "W=1 and W=2 must produce the same bits");
        assertTrue(!one.bitEquals(run(2, new FedAvg(), 6)), "a different seed must change the result");
    }

    @Test
    void mmdAggregationWithKeptGeneratorsIsDeterministicToo() {
        PartPolicy p1 = PartPolicy.builder().route(new MmdAggregator(1, 0.01, null), "decoder")
                .otherwise(new FedAvg()).build();
        PartPolicy p2 = PartPolicy.builder().route(new MmdAggregator(1, 0.01, null), "decoder")
                .otherwise(new FedAvg()).build();
        assertTrue(run(1, p1, 9).bitEquals(run(2, p2, 9)));
    }

    @Test
    void fedSgdWithOneClientEqualsOneCentralizedFullBatchStep() {
        Dataset d = SHARDS.get(0);
        Vae vae = new Vae(SMALL);
        ModelState w0 = vae.initialize(77);
        double lr = 0.05;
        ModelState fed;
        try (Simulation sim = Simulation.builder().model(() -> new Vae(SMALL)).clientData(List.of(d))
                .aggregator(new FedSgd(lr)).rounds(1).seed(4).initialState(w0).fitInstructions(fit()).build()) {
            fed = sim.run();
        }
        // The same gradient computed in one process: the client's seed is derived from (run seed, round, client id).
        FitInstructions ins = fit().toBuilder().round(1).payloadKind(PayloadKind.GRADIENT)
                .seed(Seeds.derive(4, "client", 1, 0)).build();
        vae.load(w0);
        Map<String, INDArray> g = vae.gradient(d, ins);
        for (String part : List.of("encoder", "decoder")) {
            assertArrayEquals(w0.part(part).sub(g.get(part).mul(lr)).toFloatVector(), fed.part(part).toFloatVector(),
                    1e-6f, part);
        }
    }

    @Test
    void localOnlyEncoderNeverLeavesTheClientAndTheGlobalEncoderStays() {
        PartPolicy policy = PartPolicy.builder().localOnly("encoder").otherwise(new FedAvg()).build();
        ModelState init = new Vae(SMALL).initialize(1);
        List<Double> bytesUp = new ArrayList<>();
        try (Simulation sim = Simulation.builder().model(() -> new Vae(SMALL)).clientData(SHARDS).workers(2)
                .aggregator(policy).rounds(2).seed(2).initialState(init).fitInstructions(fit())
                .listener(r -> bytesUp.add(r.metric("bytes_up"))).build()) {
            ModelState out = sim.run();
            assertTrue(out.part("encoder").equals(init.part("encoder")), "the global encoder is never aggregated");
            assertTrue(!out.part("decoder").equals(init.part("decoder")));
        }
        long decoderBytes = init.part("decoder").length() * 4L;
        assertEquals(List.of(6.0 * decoderBytes, 6.0 * decoderBytes), bytesUp, "only decoders are uploaded");
    }
}
