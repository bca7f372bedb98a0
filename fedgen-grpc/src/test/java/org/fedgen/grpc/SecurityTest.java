package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.grpc.proto.Chunk;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.PartHeader;
import org.fedgen.grpc.proto.PayloadKind;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.grpc.proto.Task;
import org.fedgen.grpc.proto.UpdateStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every refusal of the server, over real sockets on 127.0.0.1: each is refused with its reason, counted once under its
 * kind, and leaves the model and the other tasks alone; a well-formed update still arrives bit for bit.
 */
class SecurityTest {
    private static final float[] GLOBAL = {0.5f, -1.25f, 3f, 1e-7f};
    private static final float[] UPDATE = {1f, 2f, -3.5f, Float.MIN_VALUE};
    private GrpcFederationServer grpc;
    private final ModelState global = ModelState.of(0, Map.of("w", Nd4j.createFromArray(GLOBAL.clone())));

    @BeforeEach
    void start() {
        grpc = GrpcFederationServer.builder().port(0).bindAddress("127.0.0.1").clients(2).maxChunkBytes(1024)
                .layout(Map.of("w", 4L)).tokens(ClientTokens.of(Map.of(
                        0, java.util.HexFormat.of().parseHex(ClientTokens.hash("t0")),
                        1, java.util.HexFormat.of().parseHex(ClientTokens.hash("t1"))))).build().start();
    }

    @AfterEach
    void stop() {
        grpc.close();
    }

    private RogueClient rogue() {
        ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + grpc.port(), InsecureChannelCredentials.create())
                .build();
        return new RogueClient(ch);
    }

    /** A rogue admitted as client 0 with its own token. */
    private RogueClient admitted() throws InterruptedException {
        RogueClient r = rogue();
        r.hello(Protocol.VERSION, 0, "t0", 5);
        assertTrue(r.next().hasWelcome());
        assertTrue(grpc.awaitClients(1, java.time.Duration.ofSeconds(10)));
        return r;
    }

    private CompletableFuture<ClientUpdate> fit(int round) {
        return grpc.proxy(0).fit(global, FitInstructions.builder().round(round).build());
    }

    private static String failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause().getMessage();
    }

    private long total() {
        return grpc.counters().refusals().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aWellFormedUpdateArrivesBitForBitAfterTheModelWasStreamedExactly() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            ServerMessage start = r.next();
            assertEquals(4, start.getModelStart().getParts(0).getLength());
            Chunk c = r.next().getChunk();
            java.nio.FloatBuffer fb = c.getData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] got = new float[fb.remaining()];
            fb.get(got);
            assertArrayEquals(GLOBAL, got);
            Task t = r.task();
            assertEquals(1, t.getFit().getRound());
            r.update(t.getTaskId(), 0, 1, "w", UPDATE);
            ClientUpdate u = f.get(10, TimeUnit.SECONDS);
            assertArrayEquals(UPDATE, u.part("w").toFloatVector());
            assertEquals(5, u.numExamples());
            assertEquals(0, total());
        }
    }

    @Test
    void aWrongTokenIsRefused() throws Exception {
        try (RogueClient r = rogue()) {
            r.hello(Protocol.VERSION, 0, "guess", 5);
            ServerMessage m = r.next();
            assertEquals("a wrong token for client 0", m.getRefusal().getReason());
            assertEquals(1, grpc.counters().refusals(Refusal.TOKEN));
            assertEquals(0, grpc.connectedClients());
        }
    }

    @Test
    void claimingAnotherIdWithOnesOwnTokenIsRefused() throws Exception {
        try (RogueClient r = rogue()) {
            r.hello(Protocol.VERSION, 1, "t0", 5);
            assertEquals("a wrong token for client 1", r.next().getRefusal().getReason());
            assertEquals(1, grpc.counters().refusals(Refusal.TOKEN));
        }
        try (RogueClient r = rogue()) {
            r.hello(Protocol.VERSION, 7, "t0", 5);
            assertEquals("client id 7 is not in this run's population 0-1", r.next().getRefusal().getReason());
            assertEquals(1, grpc.counters().refusals(Refusal.IDENTITY));
        }
    }

    @Test
    void anotherProtocolVersionIsRefusedNamingBoth() throws Exception {
        try (RogueClient r = rogue()) {
            r.hello(99, 0, "t0", 5);
            assertEquals("the client speaks protocol version 99, this server 1", r.next().getRefusal().getReason());
            assertEquals(1, grpc.counters().refusals(Refusal.PROTOCOL));
        }
    }

    @Test
    void answeringAsAnotherClientIsRefusedAndFailsOnlyThatTask() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            Task t = r.task();
            r.update(t.getTaskId(), 1, 1, "w", UPDATE);
            assertEquals("refused: client 1 answers task " + t.getTaskId() + ", which was given to client 0",
                    failure(f));
            assertEquals(1, grpc.counters().refusals(Refusal.IDENTITY));
            assertEquals(1, total());
        }
    }

    @Test
    void anUpdateForAnotherRoundIsRefused() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(3);
            Task t = r.task();
            r.update(t.getTaskId(), 0, 2, "w", UPDATE);
            assertEquals("refused: update for round 2 but task " + t.getTaskId() + " is of round 3", failure(f));
            assertEquals(1, grpc.counters().refusals(Refusal.TASK));
        }
    }

    @Test
    void anUpdateForATaskNotGivenIsRefusedAndTheRealTaskStillCompletes() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            Task t = r.task();
            r.update(t.getTaskId() + 1000, 0, 1, "w", new float[] {9, 9, 9, 9});
            r.update(t.getTaskId(), 0, 1, "w", UPDATE);
            assertArrayEquals(UPDATE, f.get(10, TimeUnit.SECONDS).part("w").toFloatVector());
            assertEquals(1, grpc.counters().refusals(Refusal.TASK));
            assertEquals(1, total());
        }
    }

    @Test
    void aReplayedUpdateIsRefused() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            Task t = r.task();
            r.update(t.getTaskId(), 0, 1, "w", UPDATE);
            f.get(10, TimeUnit.SECONDS);
            r.update(t.getTaskId(), 0, 1, "w", new float[] {9, 9, 9, 9});
            CompletableFuture<ClientUpdate> g = fit(2);
            Task t2 = r.task();
            r.update(t2.getTaskId(), 0, 2, "w", UPDATE);
            g.get(10, TimeUnit.SECONDS);
            assertEquals(1, grpc.counters().refusals(Refusal.REPLAY));
            assertEquals(1, total());
        }
    }

    @Test
    void anOversizedChunkIsRefused() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            Task t = r.task();
            r.send(ClientMessage.newBuilder().setUpdateStart(UpdateStart.newBuilder().setTaskId(t.getTaskId())
                    .setClientId(0).setRound(1).setNumExamples(5).setKind(PayloadKind.WEIGHTS)
                    .addParts(PartHeader.newBuilder().setName("w").setLength(4))).build());
            r.send(ClientMessage.newBuilder().setChunk(Chunk.newBuilder().setId(t.getTaskId()).setPart(0)
                    .setData(RogueClient.floats(new float[512]))).build());
            assertEquals("refused: oversized chunk: 2048 bytes, the limit is 1024", failure(f));
            assertEquals(1, grpc.counters().refusals(Refusal.OVERSIZED));
        }
    }

    @Test
    void anUpdateThatDoesNotFitTheModelIsRefusedNamingBothLayouts() throws Exception {
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            Task t = r.task();
            r.update(t.getTaskId(), 0, 1, "w", new float[] {1, 2, 3});
            assertEquals("refused: model layout mismatch: the update has parts w[3], the task asked for w[4]",
                    failure(f));
            assertEquals(1, grpc.counters().refusals(Refusal.MALFORMED));
        }
    }

    @Test
    void garbageBytesOnThePortLeaveTheServerServing() throws Exception {
        try (Socket s = new Socket("127.0.0.1", grpc.port())) {
            OutputStream o = s.getOutputStream();
            byte[] junk = new byte[4096];
            new java.util.Random(1).nextBytes(junk);
            o.write(junk);
            o.flush();
            s.setSoTimeout(5000);
            // The server hangs up on a peer that does not speak HTTP/2; the read ends (EOF or reset).
            try {
                while (s.getInputStream().read() >= 0) {
                    // drain whatever the server answers before closing
                }
            } catch (java.io.IOException expected) {
                // connection reset
            }
        }
        try (RogueClient r = admitted()) {
            CompletableFuture<ClientUpdate> f = fit(1);
            r.update(r.task().getTaskId(), 0, 1, "w", UPDATE);
            assertArrayEquals(UPDATE, f.get(10, TimeUnit.SECONDS).part("w").toFloatVector());
        }
        assertEquals(0, total());
    }

    @Test
    void aClientThatIsNotConnectedFailsItsTaskAtOnce() {
        assertEquals("client 1 is not connected", failure(grpc.proxy(1).fit(global,
                FitInstructions.builder().round(1).build())));
        assertFalse(grpc.counters().bytesSent() > 0);
    }
}
