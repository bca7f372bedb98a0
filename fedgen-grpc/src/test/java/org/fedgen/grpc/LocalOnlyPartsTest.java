package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.models.gan.Gan;
import org.fedgen.models.gan.GanTopology;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.DpConfig;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.GanSettings;
import org.fedgen.runs.RunConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts that stay on the clients in a deployed run, kept by the client hosts across rounds as the simulation's clients
 * keep them: with decoder-only DP each client's own encoder (local-only), with IFL-GAN each client's own generator
 * (kept unless it adopts the global one). Over real sockets the deployed run ends with the simulation's global
 * parameters and metrics rows.
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
        RunConfig sim = Deployments.tinyVae(dir.resolve("dp-sim"), 2).toBuilder().clientsPerRound(0).evalEvery(1)
                .dp(DpConfig.builder(0.5, 1.0).parts(List.of("decoder")).seededNoise(true).build()).build();
        deployedEqualsSimulated(sim, "/encoder", "dp");
    }

    @Test
    void iflGanClientsKeepTheirOwnGeneratorsOnTheirHostsBitIdenticalToTheSimulation() throws Exception {
        RunConfig sim = Deployments.tinyVae(dir.resolve("ifl-sim"), 2).toBuilder()
                .model(GanSettings.builder().topology(GanTopology.IFLGAN).generatorSteps(1).criticSteps(1).build())
                .clients(2).clientsPerRound(0).evalEvery(1).build();
        deployedEqualsSimulated(sim, "/" + Gan.GENERATOR, "ifl");
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
