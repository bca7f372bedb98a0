package org.fedgen.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.util.Map;
import org.fedgen.grpc.proto.ServerMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with certificates made by keytool at test time: a client trusting the server's certificate is welcomed, a
 * plaintext client is not; under mutual TLS a host may act only as the ids its certificate's CN names.
 */
class TlsTest {
    @TempDir
    static Path dir;
    static TestCertificates.Pem server;
    static TestCertificates.Pem client0;

    @BeforeAll
    static void certificates() throws Exception {
        // One certificate (CN client-0, valid for localhost and 127.0.0.1) serves as the server's and as client 0's:
        // keytool runs once.
        server = TestCertificates.shared();
        client0 = server;
    }

    private static GrpcFederationServer.Builder tlsServer() {
        return GrpcFederationServer.builder().port(0).bindAddress("127.0.0.1").clients(2).layout(Map.of("w", 4L))
                .tls(server.cert(), server.key());
    }

    private static RogueClient tlsClient(int port, TestCertificates.Pem own) throws Exception {
        TlsChannelCredentials.Builder t = TlsChannelCredentials.newBuilder().trustManager(server.cert().toFile());
        if (own != null) {
            t.keyManager(own.cert().toFile(), own.key().toFile());
        }
        return new RogueClient(Grpc.newChannelBuilder("localhost:" + port, t.build()).build());
    }

    @Test
    void aClientTrustingTheServerCertificateIsWelcomedAndAPlaintextOneIsNot() throws Exception {
        try (GrpcFederationServer grpc = tlsServer().build().start()) {
            try (RogueClient r = tlsClient(grpc.port(), null)) {
                r.hello(Protocol.VERSION, 0, "", 5);
                assertTrue(r.next().hasWelcome());
            }
            try (RogueClient plain = new RogueClient(Grpc.newChannelBuilder("127.0.0.1:" + grpc.port(),
                    InsecureChannelCredentials.create()).build())) {
                plain.hello(Protocol.VERSION, 1, "", 5);
                long end = System.nanoTime() + 10_000_000_000L;
                while (!plain.closed && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertTrue(plain.closed, "the plaintext session should fail");
            }
            assertEquals(0, grpc.connectedClients());
        }
    }

    @Test
    void underMutualTlsAHostMayActOnlyAsTheIdsOfItsCertificate() throws Exception {
        try (GrpcFederationServer grpc = tlsServer().clientCa(client0.cert()).build().start()) {
            try (RogueClient r = tlsClient(grpc.port(), client0)) {
                r.hello(Protocol.VERSION, 1, "", 5);
                ServerMessage m = r.next();
                assertEquals("the host's certificate allows clients 0, not client 1", m.getRefusal().getReason());
                assertEquals(1, grpc.counters().refusals(Refusal.IDENTITY));
            }
            try (RogueClient r = tlsClient(grpc.port(), client0)) {
                r.hello(Protocol.VERSION, 0, "", 5);
                assertTrue(r.next().hasWelcome());
            }
            try (RogueClient r = tlsClient(grpc.port(), null)) {
                r.hello(Protocol.VERSION, 1, "", 5);
                long end = System.nanoTime() + 10_000_000_000L;
                while (!r.closed && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertTrue(r.closed, "the handshake without a client certificate should fail");
                assertEquals(null, grpc.session(1), "a host without a client certificate is not admitted");
            }
            assertFalse(grpc.counters().refusals(Refusal.TOKEN) > 0);
        }
    }

    @Test
    void certificateNamesGiveTheirIds() throws Exception {
        assertEquals(java.util.Set.of(0), GrpcFederationServer.certifiedIds(cert(client0.cert())));
        assertEquals("0-4, 7, 9-10", GrpcFederationServer.ranges(java.util.Set.of(0, 1, 2, 3, 4, 7, 9, 10)));
    }

    private static java.security.cert.X509Certificate cert(Path pem) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }
}
