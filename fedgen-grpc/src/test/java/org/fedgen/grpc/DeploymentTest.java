package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment runs the simulation's algorithm: a tiny VAE over 3 clients (2 sampled per round, 2 rounds) trained
 * in-process, and with the clients in gRPC client hosts over 127.0.0.1 sockets, ends with bit-identical global
 * parameters and metrics rows (wall time excluded) — over TLS with a host whose first session is cut and who is given
 * its tasks again, and across a server restart with resume. A client that drops out mid-round and does not come back
 * within the reconnect grace is left out of that round and takes part again once it reconnects.
 */
class DeploymentTest {
    @TempDir
    static Path dir;
    static RunConfig sim;
    static Path split;
    static ExecutorService threads;

    @BeforeAll
    static void simulateAndSplit() {
        sim = Deployments.tinyVae(dir.resolve("sim"), 2);
        new FederatedRun(sim).run();
        split = dir.resolve("split");
        ClientSplitWriter.write(sim, split);
        threads = Deployments.threads();
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aDeployedRunOverTlsWhoseFirstSessionIsCutRightAfterRegisteringEndsBitIdenticalToTheSimulation()
            throws Exception {
        RunConfig dep = sim.toBuilder().out(dir.resolve("deployed")).build();
        TestCertificates.Pem cert = TestCertificates.shared();
        try (GrpcFederationServer grpc = Deployments.server(dep).tls(cert.cert(), cert.key()).build().start();
                CuttingProxy net = new CuttingProxy(grpc.port(), CUT_IN_THE_FIRST_MODEL)) {
            // Hosts 0-1 reach the server through a relay that cuts their first session in the middle of round 1's
            // model, right after they registered and were given their tasks; they reconnect and are given them again.
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("localhost", net.port(), split, 0, 1).trustCa(cert.cert()).workers(2).build(),
                    Deployments.host("localhost", grpc.port(), split, 2).trustCa(cert.cert()).build()));
            new FederatedRun(dep, grpc.minClients(3)).deployed(grpc::proxy).run();
            grpc.finish("run complete");
            for (CompletableFuture<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertTrue(grpc.counters().bytesSent() > 0);
            assertEquals(0, grpc.counters().refusals().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(net.didCut(), "the first session of hosts 0-1 was cut");
            assertEquals(2, net.connections(), "hosts 0-1 reconnected once");
            assertEquals(3L, grpc.counters().snapshot().get("sessions"));
            assertEquals(1L, grpc.counters().snapshot().get("sessions_lost"));
        }
        assertSameRun(dir.resolve("sim"), dir.resolve("deployed"));
    }

    @Test
    void aServerRestartedWithResumeEndsBitIdenticalAndTheClientsCarryOn() throws Exception {
        RunConfig dep = sim.toBuilder().out(dir.resolve("restarted")).build();
        int port;
        List<CompletableFuture<Void>> running;
        RoundListener stopAfterRound1 = new RoundListener() {
            @Override
            public boolean beforeRound(long round) {
                return round < 2;
            }

            @Override
            public void onRoundEnd(RoundResult result) {
            }
        };
        try (GrpcFederationServer grpc = Deployments.server(dep).build().start()) {
            port = grpc.port();
            running = Deployments.start(threads, List.of(Deployments.host("127.0.0.1", port, split, 0, 1, 2)
                    .build()));
            new FederatedRun(dep, grpc.minClients(3), stopAfterRound1).deployed(grpc::proxy).run();
            // close(), not finish(): the hosts are told the server stops, not that the run is over, and retry.
        }
        Thread.sleep(300);
        assertTrue(!running.get(0).isDone(), "the host waits for the server to come back");
        FederatedRun resumed = FederatedRun.resume(dep.outputDirectory(), null);
        try (GrpcFederationServer grpc = Deployments.server(resumed.config()).port(port).build().start()) {
            resumed.listening(grpc.minClients(3)).deployed(grpc::proxy).run();
            grpc.finish("run complete");
            running.get(0).get(30, TimeUnit.SECONDS);
        }
        assertSameRun(dir.resolve("sim"), dir.resolve("restarted"));
    }

    @Test
    void aClientThatDropsOutMidRoundIsLeftOutOfThatRoundAndRejoinsLater() throws Exception {
        RunConfig dep = sim.toBuilder().clientsPerRound(0).out(dir.resolve("dropout")).build();
        try (GrpcFederationServer grpc = Deployments.server(dep).reconnectGrace(Duration.ofMillis(300)).build()
                .start()) {
            RogueClient crash = new RogueClient(Grpc.newChannelBuilder("127.0.0.1:" + grpc.port(),
                    InsecureChannelCredentials.create()).build());
            crash.hello(Protocol.VERSION, 2, "", ClientDataFiles.load(ClientSplitWriter.clientDirectory(split, 2))
                    .train().size());
            CompletableFuture<Void> crashed = CompletableFuture.runAsync(() -> {
                try {
                    crash.task();
                    crash.close(); // gone mid-round, with its task unanswered
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, threads);
            List<CompletableFuture<Void>> running = new ArrayList<>(Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", grpc.port(), split, 0, 1).build())));
            RoundListener rejoin = new RoundListener() {
                @Override
                public void onRoundEnd(RoundResult r) {
                    if (r.round() == 1) {
                        running.addAll(Deployments.start(threads, List.of(
                                Deployments.host("127.0.0.1", grpc.port(), split, 2).build())));
                    }
                }
            };
            new FederatedRun(dep, grpc.minClients(3), rejoin).deployed(grpc::proxy).run();
            grpc.finish("run complete");
            crashed.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        List<String> rows = Files.readAllLines(dir.resolve("dropout/metrics.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        String[] round1 = rows.get(1).split(",");
        String[] round2 = rows.get(2).split(",");
        assertEquals(2, Double.parseDouble(round1[header.indexOf("accepted")]));
        assertEquals(1, Double.parseDouble(round1[header.indexOf("failed")]));
        assertEquals(3, Double.parseDouble(round2[header.indexOf("accepted")]));
        assertEquals(0, Double.parseDouble(round2[header.indexOf("failed")]));
    }

    @Test
    void withoutAReconnectGraceTheTasksOfACutSessionFailAndItsRoundGoesOnWithoutThem() throws Exception {
        // a second round, which waits for all three ids, keeps the run open until the cut host has reconnected, so
        // it is told the run is over (with one round the run could end, and the server stop listening, before then)
        RunConfig dep = sim.toBuilder().rounds(2).evalEvery(1).out(dir.resolve("cut-no-grace")).build();
        try (GrpcFederationServer grpc = Deployments.server(dep).reconnectGrace(Duration.ZERO).build().start();
                CuttingProxy net = new CuttingProxy(grpc.port(), CUT_IN_THE_FIRST_MODEL)) {
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", net.port(), split, 0, 1, 2).build()));
            new FederatedRun(dep, grpc.minClients(3)).deployed(grpc::proxy).run();
            grpc.finish("run complete");
            running.get(0).get(30, TimeUnit.SECONDS);
            assertTrue(net.didCut(), "the first session was cut");
        }
        List<String> rows = Files.readAllLines(dir.resolve("cut-no-grace/metrics.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        String[] round1 = rows.get(1).split(",");
        assertEquals(0, Double.parseDouble(round1[header.indexOf("accepted")]));
        assertEquals(2, Double.parseDouble(round1[header.indexOf("failed")]));
    }

    @Test
    void aHostWhoseConnectionIsDownWhenTheRunEndsIsToldOnceItReconnectsAndExitsNormally() throws Exception {
        RunConfig dep = sim.toBuilder().rounds(1).out(dir.resolve("cut-at-end")).build();
        try (GrpcFederationServer grpc = Deployments.server(dep).reconnectGrace(Duration.ofSeconds(30)).build()
                .start();
                CuttingProxy net = new CuttingProxy(grpc.port(), Long.MAX_VALUE)) {
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", net.port(), split, 0, 1, 2).build()));
            new FederatedRun(dep, grpc.minClients(3)).deployed(grpc::proxy).run();
            // the network goes down after the last round and stays down until the server has finished the run
            net.hold(true);
            net.cutNow();
            while (grpc.counters().snapshot().get("sessions_lost") < 1) {
                Thread.sleep(10);
            }
            CompletableFuture<Void> finishing = CompletableFuture.runAsync(() -> grpc.finish("run complete"),
                    threads);
            while (!grpc.runEnded()) {
                Thread.sleep(10);
            }
            assertTrue(!finishing.isDone(), "the server waits for the disconnected host");
            net.hold(false);
            finishing.get(30, TimeUnit.SECONDS);
            // without the wait the host retries against a closed port and gives up after 20 s with an exception
            running.get(0).get(30, TimeUnit.SECONDS);
            assertEquals(1L, grpc.counters().snapshot().get("sessions"), "the late session is not counted as one of the run");
        }
    }

    /** Past the Welcome (about 2 KB) and into the first model (26 104 float32, 104 416 bytes). */
    private static final long CUT_IN_THE_FIRST_MODEL = 30_000;

    static void assertSameRun(Path a, Path b) throws Exception {
        ModelState x = CheckpointFile.read(a.resolve("checkpoint.fgs")).model();
        ModelState y = CheckpointFile.read(b.resolve("checkpoint.fgs")).model();
        assertEquals(x.round(), y.round());
        assertEquals(x.partNames(), y.partNames());
        for (String p : x.partNames()) {
            assertArrayEquals(bits(x, p), bits(y, p), "part " + p);
        }
        assertEquals(withoutTime(a.resolve("metrics.csv")), withoutTime(b.resolve("metrics.csv")));
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
            if (wall >= 0) {
                cells.remove(wall);
            }
            out.add(String.join(",", cells));
        }
        return out;
    }
}
