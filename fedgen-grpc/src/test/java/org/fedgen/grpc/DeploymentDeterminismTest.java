package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.ModelState;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment runs the simulation's algorithm: a tiny VAE over 3 clients (2 sampled per round, 2 rounds), trained
 * once in-process and once with the clients in two gRPC client hosts over 127.0.0.1 sockets, ends with bit-identical
 * global parameters and the same metrics rows (wall time excluded).
 */
class DeploymentDeterminismTest {
    @TempDir
    Path dir;

    @Test
    void aDeployedRunEndsBitIdenticalToTheSimulation() throws Exception {
        RunConfig sim = Deployments.tinyVae(dir.resolve("sim"), 2);
        new FederatedRun(sim).run();

        Path split = dir.resolve("split");
        ClientSplitWriter.write(sim, split);
        RunConfig dep = sim.toBuilder().out(dir.resolve("deployed")).build();
        ExecutorService threads = Deployments.threads();
        try (GrpcFederationServer grpc = Deployments.server(dep).build().start()) {
            List<GrpcClientHost> hosts = List.of(Deployments.host(grpc.port(), split, 0, 1).workers(2).build(),
                    Deployments.host(grpc.port(), split, 2).build());
            List<CompletableFuture<Void>> running = Deployments.start(threads, hosts);
            new FederatedRun(dep, grpc.minClients(3)).deployed(grpc::proxy).run();
            grpc.finish("run complete");
            for (CompletableFuture<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertTrue(grpc.counters().bytesSent() > 0);
            assertEquals(0, grpc.counters().refusals().values().stream().mapToLong(Long::longValue).sum());
        } finally {
            threads.shutdownNow();
        }

        ModelState a = CheckpointFile.read(dir.resolve("sim/checkpoint.fgs")).model();
        ModelState b = CheckpointFile.read(dir.resolve("deployed/checkpoint.fgs")).model();
        assertEquals(2, b.round());
        assertEquals(a.partNames(), b.partNames());
        for (String p : a.partNames()) {
            assertArrayEquals(bits(a, p), bits(b, p), "part " + p);
        }
        assertEquals(withoutTime(dir.resolve("sim/metrics.csv")), withoutTime(dir.resolve("deployed/metrics.csv")));
    }

    static int[] bits(ModelState s, String part) {
        float[] f = s.part(part).toFloatVector();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    static List<String> withoutTime(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int wall = List.of(lines.get(0).split(",", -1)).indexOf("wall_ms");
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(wall);
            out.add(String.join(",", cells));
        }
        return out;
    }
}
