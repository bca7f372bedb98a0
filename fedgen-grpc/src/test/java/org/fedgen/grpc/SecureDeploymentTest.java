package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.io.CheckpointFile;
import org.fedgen.core.sampling.FixedSizeSampler;
import org.fedgen.core.util.Seeds;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.Hello;
import org.fedgen.grpc.proto.HostedClient;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.privacy.secagg.RingPayload;
import org.fedgen.privacy.secagg.SecAggChannel;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecAggMessage;
import org.fedgen.privacy.secagg.SecAggMessage.UnmaskResponse;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.ClientTransport;
import org.fedgen.runs.DpConfig;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.SecureAggregationSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure aggregation over gRPC on 127.0.0.1 sockets, tiny VAE, 3 clients: the client hosts run the client side of
 * the protocol and mask their own updates, the server runs the unchanged {@code SecureAggregator}. A deployed run
 * ends bit-identical to the simulation's secure-aggregation run, and the server sees only masked updates; a client
 * that disconnects after sharing its keys is dropped and the others' sum is recovered exactly; with too many such
 * dropouts the round fails cleanly and the next one succeeds.
 */
class SecureDeploymentTest {
    @TempDir
    static Path dir;
    static RunConfig sim;
    static Path split;
    static ExecutorService threads;
    /** The simulation's global state after round 1. */
    static ModelState simRound1;

    @BeforeAll
    static void simulateAndSplit() {
        // 2 of the 3 clients per round, as the plain deployment test.
        sim = Deployments.tinyVae(dir.resolve("sim"), 2).toBuilder()
                .secureAggregation(SecureAggregationSettings.defaults()).build();
        ModelState[] round1 = new ModelState[1];
        new FederatedRun(sim, r -> {
            if (r.round() == 1) {
                round1[0] = r.global().copy();
            }
        }).run();
        simRound1 = round1[0];
        split = dir.resolve("split");
        ClientSplitWriter.write(sim, split);
        threads = Deployments.threads();
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aDeployedSecureRunEndsBitIdenticalToTheSimulationAndTheServerSeesOnlyMaskedUpdates() throws Exception {
        RunConfig dep = sim.toBuilder().out(dir.resolve("deployed")).build();
        Recording seen = new Recording();
        try (GrpcFederationServer grpc = Deployments.server(dep).secureAggregation(true).build().start()) {
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", grpc.port(), split, 0, 1).workers(2).build(),
                    Deployments.host("127.0.0.1", grpc.port(), split, 2).requireSecureAggregation(true).build()));
            new FederatedRun(dep, grpc.minClients(3)).deployed(seen.transport(grpc)).run();
            grpc.finish("run complete");
            for (CompletableFuture<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, grpc.counters().refusals().values().stream().mapToLong(Long::longValue).sum());
        }
        DeploymentTest.assertSameRun(dir.resolve("sim"), dir.resolve("deployed"));

        // 2 clients × 2 rounds, each update masked: a code of 16 bits lies in [−32767, 32767]; a masked element
        // falls there with probability 2^16/2^32, the codes of an unmasked update always do.
        assertEquals(4, seen.updates.size());
        for (Received u : seen.updates) {
            assertTrue(u.metrics().isEmpty(), "a masked update carries no metrics");
            long inCodeRange = 0;
            for (int v : u.ring()) {
                inCodeRange += Math.abs((long) v) <= 32767 ? 1 : 0;
            }
            assertEquals(26104, u.ring().length, "the update has all the model's values");
            assertTrue(inCodeRange < u.ring().length / 1000, "client " + u.clientId() + " round " + u.round() + ": "
                    + inCodeRange + " of " + u.ring().length + " values look like unmasked codes");
        }
        // Per round and client: public keys, shares, ack, unmask response; none names both secrets of anyone.
        assertEquals(16, seen.messages.size());
        for (SecAggMessage m : seen.messages) {
            if (m instanceof UnmaskResponse r) {
                assertTrue(Collections.disjoint(r.seedShares().keySet(), r.keyShares().keySet()));
                assertEquals(2, r.seedShares().size(), "every survivor's self-mask seed share");
            }
        }
    }

    @Test
    void aClientThatDisconnectsAfterSharingKeysIsDroppedAndTheOthersSumIsRecoveredExactly() throws Exception {
        // Reference: the simulation's round 1, with 2 of the 3 clients sampled; the deployed round asks all 3 and the
        // third leaves after sharing its keys. Training seeds depend on round and client only, so the two
        // survivors' codes are the same, and the unmasked sum must be the reference's bit for bit.
        List<Integer> sampled = FixedSizeSampler.count(2).sample(List.of(0, 1, 2), 1,
                new SplittableRandom(Seeds.derive(sim.seed(), "sample", 1)));
        int leaver = 3 - sampled.get(0) - sampled.get(1);
        RunConfig dep = sim.toBuilder().rounds(1).clientsPerRound(0).out(dir.resolve("one-drops")).build();
        Recording seen = new Recording();
        try (GrpcFederationServer grpc = Deployments.server(dep).secureAggregation(true).build().start()) {
            CompletableFuture<Void> left = leaveAfterSharing(grpc.port(), leaver);
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", grpc.port(), split, sampled.get(0), sampled.get(1)).build()));
            new FederatedRun(dep, grpc.minClients(3), seen.rounds()).deployed(seen.transport(grpc)).run();
            grpc.finish("run complete");
            left.get(10, TimeUnit.SECONDS);
            running.get(0).get(30, TimeUnit.SECONDS);
        }
        Map<String, Double> round1 = seen.metrics.get(1L);
        assertEquals(2.0, round1.get("secagg_survivors"));
        assertEquals(1.0, round1.get("secagg_dropped"));
        assertFalse(round1.containsKey("aggregation_failed"));
        ModelState deployed = CheckpointFile.read(dir.resolve("one-drops/checkpoint.fgs")).model();
        assertEquals(simRound1.partNames(), deployed.partNames());
        for (String p : simRound1.partNames()) {
            assertArrayEquals(DeploymentTest.bits(simRound1, p), DeploymentTest.bits(deployed, p), "part " + p);
        }
    }

    @Test
    void withTooManyDropoutsTheRoundFailsCleanlyAndALaterRoundSucceeds() throws Exception {
        RunConfig dep = sim.toBuilder().clientsPerRound(0).out(dir.resolve("two-drop")).build();
        Recording seen = new Recording();
        try (GrpcFederationServer grpc = Deployments.server(dep).secureAggregation(true).build().start()) {
            List<CompletableFuture<Void>> left = List.of(leaveAfterSharing(grpc.port(), 1),
                    leaveAfterSharing(grpc.port(), 2));
            List<CompletableFuture<Void>> running = new ArrayList<>(Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", grpc.port(), split, 0).build())));
            RoundListener rejoin = r -> {
                if (r.round() == 1) {
                    running.addAll(Deployments.start(threads, List.of(
                            Deployments.host("127.0.0.1", grpc.port(), split, 1, 2).build())));
                }
            };
            new FederatedRun(dep, grpc.minClients(3), seen.rounds(), rejoin).deployed(seen.transport(grpc)).run();
            grpc.finish("run complete");
            for (CompletableFuture<Void> f : left) {
                f.get(10, TimeUnit.SECONDS);
            }
            for (CompletableFuture<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        // Round 1: 1 survivor of 3, below the majority threshold 2: failed, the global state kept.
        assertEquals(1.0, seen.metrics.get(1L).get("aggregation_failed"));
        assertEquals(1.0, seen.metrics.get(1L).get("secagg_survivors"));
        assertEquals(2.0, seen.metrics.get(1L).get("secagg_dropped"));
        ModelState init = FederatedRun.clientModel(dep).get().initialize(Seeds.derive(dep.seed(), "init"));
        ModelState after1 = seen.globals.get(1L);
        for (String p : init.partNames()) {
            assertArrayEquals(DeploymentTest.bits(init, p), DeploymentTest.bits(after1, p), "part " + p);
        }
        // Round 2: all three back, the sum unmasked and applied.
        assertEquals(3.0, seen.metrics.get(2L).get("secagg_survivors"));
        assertFalse(seen.metrics.get(2L).containsKey("aggregation_failed"));
        ModelState after2 = seen.globals.get(2L);
        assertFalse(java.util.Arrays.equals(DeploymentTest.bits(after1, "decoder"),
                DeploymentTest.bits(after2, "decoder")), "round 2 changed the model");
    }

    @Test
    void centralDpWithDiscreteNoiseOverTheDeployedSecureSumChargesWhatTheSimulationCharges() throws Exception {
        // Noise is drawn from a SecureRandom, so only the accounting, not the bits, can match the simulation's.
        RunConfig dp = sim.toBuilder().rounds(1).clientsPerRound(0).dp(DpConfig.builder(1.0, 0.1).q(1.0)
                .discreteNoise(true).build()).out(dir.resolve("dp-sim")).build();
        Recording simulated = new Recording();
        new FederatedRun(dp, simulated.rounds()).run();
        RunConfig dep = dp.toBuilder().out(dir.resolve("dp-deployed")).build();
        Recording seen = new Recording();
        try (GrpcFederationServer grpc = Deployments.server(dep).secureAggregation(true).build().start()) {
            List<CompletableFuture<Void>> running = Deployments.start(threads, List.of(
                    Deployments.host("127.0.0.1", grpc.port(), split, 0, 1, 2).build()));
            new FederatedRun(dep, grpc.minClients(3), seen.rounds()).deployed(seen.transport(grpc)).run();
            grpc.finish("run complete");
            running.get(0).get(30, TimeUnit.SECONDS);
        }
        Map<String, Double> want = simulated.metrics.get(1L);
        Map<String, Double> got = seen.metrics.get(1L);
        for (String m : List.of("epsilon", "dp_sensitivity", "dp_noise_std", "dp_clip_norm")) {
            assertEquals(want.get(m), got.get(m), m);
        }
        assertTrue(got.get("epsilon") > 0);
        assertEquals(3, seen.updates.size());
        for (float v : seen.globals.get(1L).part("decoder").toFloatVector()) {
            assertTrue(Float.isFinite(v), "the noised, unmasked sum is applied as numbers");
        }
    }

    @Test
    void aTransportThatCannotCarryTheProtocolIsRefused() {
        // A transport without the secure aggregation hook: the run must not fall back to plain updates.
        ClientTransport plainOnly = simulated -> simulated;
        FederatedRun run = new FederatedRun(sim.toBuilder().out(dir.resolve("refused")).build()).deployed(plainOnly);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                run::run);
        assertEquals("--secure-aggregation: this run's client transport cannot carry secure aggregation's messages",
                e.getMessage());
    }

    /**
     * A hand-driven client {@code id} that runs the client side of the protocol (the host's own code), and closes its
     * connection when its fit task arrives: it dropped after sharing its keys, before uploading.
     */
    private static CompletableFuture<Void> leaveAfterSharing(int port, int id) {
        RogueClient c = new RogueClient(Grpc.newChannelBuilder("127.0.0.1:" + port,
                InsecureChannelCredentials.create()).build());
        long examples = ClientDataFiles.load(ClientSplitWriter.clientDirectory(split, id)).train().size();
        c.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(Protocol.VERSION)
                .addFeatures(SecAggWire.FEATURE).addClients(HostedClient.newBuilder().setId(id)
                        .setNumExamples(examples))).build());
        HostedSecAggClients side = new HostedSecAggClients(Set.of(id), true);
        c.timeoutSeconds = 30;
        return CompletableFuture.runAsync(() -> {
            try {
                while (true) {
                    ServerMessage m = c.next();
                    if (m.hasSecaggRequest()) {
                        c.send(ClientMessage.newBuilder().setSecaggReply(side.answer(m.getSecaggRequest())).build());
                    } else if (m.hasTask()) {
                        c.close();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threads);
    }

    /** An update as the server received it: its payload read as ring elements, part after part. */
    private record Received(int clientId, long round, Map<String, Double> metrics, int[] ring) {
        static Received of(ClientUpdate u) {
            List<int[]> parts = new ArrayList<>();
            for (String p : u.parts().keySet()) {
                parts.add(RingPayload.read(u.part(p)));
            }
            int[] all = new int[parts.stream().mapToInt(a -> a.length).sum()];
            int at = 0;
            for (int[] a : parts) {
                System.arraycopy(a, 0, all, at, a.length);
                at += a.length;
            }
            return new Received(u.clientId(), u.round(), Map.copyOf(u.metrics()), all);
        }
    }

    /** What the server side receives: every update from a client and every secure aggregation reply. */
    private static final class Recording {
        final List<Received> updates = Collections.synchronizedList(new ArrayList<>());
        final List<SecAggMessage> messages = Collections.synchronizedList(new ArrayList<>());
        final Map<Long, Map<String, Double>> metrics = new ConcurrentHashMap<>();
        final Map<Long, ModelState> globals = new ConcurrentHashMap<>();

        RoundListener rounds() {
            return (RoundResult r) -> {
                metrics.put(r.round(), new TreeMap<>(r.metrics()));
                globals.put(r.round(), r.global());
            };
        }

        ClientTransport transport(GrpcFederationServer grpc) {
            return new ClientTransport() {
                @Override
                public ClientProxy client(ClientProxy simulated) {
                    ClientProxy remote = grpc.proxy(simulated);
                    return new ClientProxy() {
                        @Override
                        public int clientId() {
                            return remote.clientId();
                        }

                        @Override
                        public OptionalLong registeredExamples() {
                            return remote.registeredExamples();
                        }

                        @Override
                        public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions ins) {
                            return remote.fit(global, ins).thenApply(u -> {
                                updates.add(Received.of(u));
                                return u;
                            });
                        }

                        @Override
                        public CompletableFuture<Map<String, Double>> evaluate(ModelState global,
                                EvalInstructions ins) {
                            return remote.evaluate(global, ins);
                        }
                    };
                }

                @Override
                public SecAggChannel secureAggregation(SecAggConfig config) {
                    SecAggChannel channel = grpc.secureAggregation(config, Duration.ofSeconds(10));
                    return (id, request) -> {
                        SecAggMessage reply = channel.exchange(id, request);
                        messages.add(reply);
                        return reply;
                    };
                }
            };
        }
    }
}
