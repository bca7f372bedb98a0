package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.Hello;
import org.fedgen.grpc.proto.HostedClient;
import org.fedgen.grpc.proto.SecAggPublicKeys;
import org.fedgen.grpc.proto.SecAggReply;
import org.fedgen.grpc.proto.SecAggRequest;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.privacy.secagg.SecAggChannel;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecAggMessage;
import org.fedgen.privacy.secagg.SecAggMessage.AdvertiseRequest;
import org.fedgen.privacy.secagg.SecAggMessage.PublicKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The secure aggregation transport binds every reply to the authenticated client id it was asked of: hand-driven
 * clients over 127.0.0.1 answer the server's key advertisement as another id, on another session, twice, or with a
 * malformed key; each is refused with its reason counted and the exchange fails (the client counts as dropped), and
 * an honest answer still gets through. A host that cannot run secure aggregation is refused at its Hello.
 */
class SecAggTransportTest {
    private static final SecAggConfig CONFIG = new SecAggConfig(0, 16, 1.0, 0, 0, 0);

    private GrpcFederationServer grpc;
    private SecAggChannel channel;

    @BeforeEach
    void start() {
        grpc = GrpcFederationServer.builder().port(0).bindAddress("127.0.0.1").clients(3).secureAggregation(true)
                .build().start();
        channel = grpc.secureAggregation(CONFIG, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        grpc.close();
    }

    private RogueClient connect(int id, boolean secagg) throws InterruptedException {
        RogueClient c = new RogueClient(Grpc.newChannelBuilder("127.0.0.1:" + grpc.port(),
                InsecureChannelCredentials.create()).build());
        Hello.Builder h = Hello.newBuilder().setProtocolVersion(Protocol.VERSION)
                .addClients(HostedClient.newBuilder().setId(id).setNumExamples(10));
        if (secagg) {
            h.addFeatures(SecAggWire.FEATURE);
        }
        c.send(ClientMessage.newBuilder().setHello(h).build());
        return c;
    }

    private static void reply(RogueClient c, SecAggReply r) {
        c.send(ClientMessage.newBuilder().setSecaggReply(r).build());
    }

    /** The next secure aggregation request the client gets. */
    private static SecAggRequest request(RogueClient c) throws InterruptedException {
        while (true) {
            ServerMessage m = c.next();
            if (m.hasSecaggRequest()) {
                return m.getSecaggRequest();
            }
        }
    }

    /** The server's key advertisement to client {@code id} (registered: its host got its Welcome). */
    private CompletableFuture<SecAggMessage> advertise(int id) {
        return CompletableFuture.supplyAsync(() -> channel.exchange(id, new AdvertiseRequest(4)));
    }

    @Test
    void aHostThatDoesNotRunSecureAggregationIsRefusedAtHello() throws Exception {
        try (RogueClient old = connect(0, false)) {
            ServerMessage m = old.next();
            assertTrue(m.hasRefusal());
            assertEquals("this run uses secure aggregation, and the client host does not run its client side (a"
                    + " fedgen client built before it)", m.getRefusal().getReason());
            assertEquals(1, grpc.counters().refusals(Refusal.PROTOCOL));
        }
    }

    @Test
    void aReplyThatNamesAnotherClientIsRefusedAndTheExchangeFails() throws Exception {
        try (RogueClient c = connect(0, true)) {
            c.next(); // the Welcome: the session is registered
            CompletableFuture<SecAggMessage> x = advertise(0);
            SecAggRequest r = request(c);
            assertEquals(0, r.getClientId());
            assertEquals(CONFIG, SecAggWire.config(r.getAdvertise()), "the public parameters travel with it");
            SecAggReply honest = new HostedSecAggClients(Set.of(0), true).answer(r);
            reply(c, honest.toBuilder().setClientId(1).build());
            Exception e = assertThrows(Exception.class, () -> x.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("client 1 answers secure aggregation exchange"),
                    e.getCause().getMessage());
            assertEquals(1, grpc.counters().refusals(Refusal.IDENTITY));
        }
    }

    @Test
    void aReplyOnAnotherSessionIsRefusedAndTheRightClientsAnswerCounts() throws Exception {
        try (RogueClient a = connect(0, true); RogueClient b = connect(1, true)) {
            a.next();
            b.next();
            CompletableFuture<SecAggMessage> x = advertise(0);
            SecAggRequest r = request(a);
            // Client 1's host answers client 0's exchange, as client 0: not its session.
            SecAggReply forged = new HostedSecAggClients(Set.of(0), true).answer(r);
            reply(b, forged);
            SecAggReply honest = new HostedSecAggClients(Set.of(0), true).answer(r);
            Thread.sleep(200);
            reply(a, honest);
            SecAggMessage got = x.get(10, TimeUnit.SECONDS);
            assertEquals(1, grpc.counters().refusals(Refusal.TASK));
            PublicKeys k = (PublicKeys) got;
            assertEquals(0, k.clientId());
            assertArrayEquals(honest.getPublicKeys().getMaskKey().toByteArray(), k.maskKey());
            // The same answer again is a replay.
            reply(a, honest);
            Thread.sleep(200);
            assertEquals(1, grpc.counters().refusals(Refusal.REPLAY));
        }
    }

    @Test
    void malformedOrDegeneratePublicKeysAreRefused() throws Exception {
        try (RogueClient c = connect(0, true)) {
            c.next();
            for (byte[] key : new byte[][] {new byte[31], new byte[32]}) {
                CompletableFuture<SecAggMessage> x = advertise(0);
                SecAggRequest r = request(c);
                SecAggReply honest = new HostedSecAggClients(Set.of(0), true).answer(r);
                // 31 bytes is no X25519 key; 32 zero bytes is the point of order 1, whose agreements are all zero.
                reply(c, honest.toBuilder().setPublicKeys(SecAggPublicKeys.newBuilder(honest.getPublicKeys())
                        .setMaskKey(ByteString.copyFrom(key))).build());
                Exception e = assertThrows(Exception.class, () -> x.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains(key.length == 31 ? "masking key has 31 bytes"
                        : "masking key is degenerate"), e.getCause().getMessage());
            }
            assertEquals(2, grpc.counters().refusals(Refusal.MALFORMED));
        }
    }
}
