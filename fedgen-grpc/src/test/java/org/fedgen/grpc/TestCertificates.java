package org.fedgen.grpc;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;

/** Self-signed certificates made at test time with the JDK's keytool, written as PEM (certificate, PKCS#8 key). */
final class TestCertificates {
    private TestCertificates() {
    }

    /** A certificate and its key. */
    record Pem(Path cert, Path key) {
    }

    private static final java.util.Map<String, Pem> MADE = new java.util.HashMap<>();

    /** The test classes' certificate: CN {@code client-0} (so it also names client 0), for localhost and 127.0.0.1. */
    static Pem shared() throws Exception {
        return selfSigned(null, "shared", "client-0");
    }

    /**
     * A self-signed RSA certificate for {@code cn}, valid for 127.0.0.1 and localhost; made once per JVM for a name
     * and CN (keytool is a process of its own, slow to start) and then shared by the test classes.
     */
    static synchronized Pem selfSigned(Path dir, String name, String cn) throws Exception {
        Pem made = MADE.get(name + "/" + cn);
        if (made == null || !Files.exists(made.cert())) {
            made = make(Files.createTempDirectory("fedgen-test-certs"), name, cn);
            MADE.put(name + "/" + cn, made);
        }
        return made;
    }

    private static Pem make(Path dir, String name, String cn) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=" + cn, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore",
                store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(name, "changeit".toCharArray());
        Certificate cert = ks.getCertificate(name);
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Path certFile = dir.resolve(name + "-cert.pem");
        Path keyFile = dir.resolve(name + "-key.pem");
        Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Pem(certFile, keyFile);
    }
}
