package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.DpConfig;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts that stay on the clients in a deployed run, kept by the client hosts across rounds as the simulation's clients
 * keep them: with decoder-only DP each client's own encoder (local-only; trained on and resumed from in round 2).
 * Over real sockets the deployed run ends with the simulation's global parameters and metrics rows. (IFL-GAN's kept
 * generators travel the same way, as the persist and resume parts of the fit task.)
 */
class LocalOnlyPartsTest {
    @TempDir
    static Path dir;
    static ExecutorService threads;

    @BeforeAll
    static void startThreads() {
        threads = Deployments.threads();
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void decoderOnlyDpKeepsEachClientsEncoderOnItsHostAcrossRoundsBitIdenticalToTheSimulation() throws Exception {
        RunConfig sim = Deployments.tinyVae(dir.resolve("dp-sim"), 2).toBuilder().clients(2).clientsPerRound(0)
                .dp(DpConfig.builder(0.5, 1.0).parts(List.of("decoder")).seededNoise(true).build()).build();
        deployedEqualsSimulated(sim, "/encoder", "dp");
    }

    /**
     * Runs {@code sim} in-process (its clients must keep a part ending in {@code kept} in the checkpoint), then
     * deployed to two client hosts over 127.0.0.1 (the last client on the second), and compares the runs bit for bit.
     */
    private static void deployedEqualsSimulated(RunConfig sim, String kept, String name) throws Exception {
        new FederatedRun(sim).run();
        assertTrue(CheckpointFile.read(sim.outputDirectory().resolve("checkpoint.fgs")).aggregatorState().keySet()
                .stream().anyMatch(k -> k.endsWith(kept)), "the simulation's clients keep their " + kept);
        Path split = dir.resolve(name + "-split");
        ClientSplitWriter.write(sim, split);
        RunConfig dep = sim.toBuilder().out(dir.resolve(name + "-deployed")).build();
        try (GrpcFederationServer grpc = Deployments.server(dep).build().start()) {
            int last = dep.clients() - 1;
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", grpc.port(), split, java.util.stream.IntStream.range(0, last)
                            .toArray()).build(),
                    Deployments.host("127.0.0.1", grpc.port(), split, last).build()));
            new FederatedRun(dep, grpc.minClients(dep.clients())).deployed(grpc::proxy).run();
            grpc.finish("run complete");
            for (CompletableFuture<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        DeploymentTest.assertSameRun(sim.outputDirectory(), dep.outputDirectory());
    }
}
