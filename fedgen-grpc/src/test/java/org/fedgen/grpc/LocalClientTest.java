package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.WorkerPool;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fit task offered again for the same round (after a lost session) gets the same answer from a client host: the
 * same pending result while it is not delivered, and after delivery a retraining from the kept parts as they were
 * before the round, so a kept (local-only) part is not trained twice.
 */
class LocalClientTest {
    @TempDir
    Path dir;

    @Test
    void aRoundAskedAgainIsAnsweredWithTheSameBitsAndTrainsKeptPartsOnce() throws Exception {
        RunConfig cfg = Deployments.tinyVae(dir.resolve("run"), 2);
        float[] pixels = new float[32 * 784];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rnd.nextDouble();
        }
        Dataset train = new Dataset(Nd4j.create(pixels, new long[] {32, 784}, 'c'), new int[32],
                new int[] {1, 28, 28});
        Supplier<? extends TrainableModel> factory = FederatedRun.clientModel(cfg);
        ModelState global = factory.get().initialize(3);
        // The encoder is kept on the client (trained and resumed from its own copy); only the decoder is sent.
        FitInstructions.Builder ins = FitInstructions.builder().localSteps(2).batchSize(8).seed(11)
                .payloadKind(PayloadKind.WEIGHTS).sendParts(Set.of("decoder")).persistParts(Set.of("encoder"))
                .resumeParts(Set.of("encoder"));
        try (WorkerPool<TrainableModel> pool = new WorkerPool<>(1, factory)) {
            LocalClient c = new LocalClient(0, train, null, pool, null, Set.of("encoder"));
            c.fit(global, ins.round(1).build()).get(); // round 1 stores the client's own encoder
            CompletableFuture<ClientUpdate> first = c.fit(global, ins.round(2).build());
            assertSame(first, c.fit(global, ins.round(2).build()), "not delivered yet: the same pending answer");
            float[] answer = first.get().part("decoder").toFloatVector();
            assertTrue(c.claim(first));
            assertFalse(c.claim(first), "an answer is sent once");
            CompletableFuture<ClientUpdate> again = c.fit(global, ins.round(2).build());
            assertNotSame(first, again);
            assertArrayEquals(answer, again.get().part("decoder").toFloatVector(),
                    "retrained from the encoder as it was before round 2");
        }
    }
}
