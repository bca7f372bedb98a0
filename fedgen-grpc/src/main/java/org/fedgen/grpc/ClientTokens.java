package org.fedgen.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Bearer tokens of the clients, kept only as SHA-256 hashes: a file of lines {@code <id> <sha256-hex>} (blank lines
 * and lines starting with {@code #} are skipped). A client proves its id by sending the token whose hash is listed.
 */
public final class ClientTokens {
    private final Map<Integer, byte[]> hashes;

    private ClientTokens(Map<Integer, byte[]> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    /**
     * Reads a token file.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException naming the file and line of a malformed entry or a repeated id
     */
    public static ClientTokens read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<Integer, byte[]> m = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String where = file + " line " + (i + 1);
            if (f.length != 2 || !f[1].matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(where + ": expected '<client id> <sha-256 hex>', got '" + line
                        + "'");
            }
            int id;
            try {
                id = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": client id '" + f[0] + "' is not an integer");
            }
            if (m.put(id, HexFormat.of().parseHex(f[1].toLowerCase(java.util.Locale.ROOT))) != null) {
                throw new IllegalArgumentException(where + ": client " + id + " is listed twice");
            }
        }
        return new ClientTokens(m);
    }

    /** Tokens from a map id → SHA-256 hash (32 bytes). */
    public static ClientTokens of(Map<Integer, byte[]> hashes) {
        return new ClientTokens(hashes);
    }

    /** The SHA-256 hex of a token: what a token file lists for it. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether {@code token} is the one listed for {@code id} (constant-time comparison of the hashes). */
    public boolean accepts(int id, String token) {
        byte[] want = hashes.get(id);
        return want != null && MessageDigest.isEqual(want, sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
