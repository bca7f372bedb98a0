package org.fedgen.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.fedgen.core.data.Dataset;

/**
 * How a run was made, as a checkpoint records it: the fedgen version that wrote it, a fingerprint of the clients'
 * data split and the full {@link RunConfig}. Its JSON form is {@code {"fedgenVersion": ..., "dataFingerprint": ...,
 * "config": {...}}}, with the configuration in {@link RunConfigJson}'s form.
 *
 * @param fedgenVersion   the version of the fedgen build that ran
 * @param dataFingerprint SHA-256 (hex) of every client's training and evaluation examples, in client order
 * @param config          the run's configuration
 */
public record RunProvenance(String fedgenVersion, String dataFingerprint, RunConfig config) {
    private static final ObjectMapper PLAIN = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @throws NullPointerException if any value is null */
    public RunProvenance {
        Objects.requireNonNull(fedgenVersion, "fedgenVersion");
        Objects.requireNonNull(dataFingerprint, "dataFingerprint");
        Objects.requireNonNull(config, "config");
    }

    /** The version of this fedgen build, from its Maven project version. */
    public static String currentVersion() {
        try (InputStream in = RunProvenance.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fedgen's version.properties", e);
        }
    }

    /**
     * SHA-256 over each client's training shard then evaluation shard, in client order: size, labels, and the raw
     * float32 bits of the features. Two runs with the same fingerprint trained their clients on the same examples.
     */
    public static String fingerprint(List<Dataset> train, List<Dataset> eval) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (int k = 0; k < train.size(); k++) {
            digest(sha, train.get(k));
            digest(sha, eval.get(k));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void digest(MessageDigest sha, Dataset d) {
        int[] labels = d.hasLabels() ? d.labels() : new int[0];
        float[] x = d.size() == 0 ? new float[0] : d.features().dup('c').data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * labels.length + 4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(d.size()).putInt(labels.length);
        for (int l : labels) {
            b.putInt(l);
        }
        for (float v : x) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        sha.update(b.array());
    }

    /** The JSON text stored in a checkpoint. */
    public String toJson() {
        ObjectNode root = PLAIN.createObjectNode();
        root.put("fedgenVersion", fedgenVersion);
        root.put("dataFingerprint", dataFingerprint);
        root.set("config", RunConfigJson.tree(config));
        try {
            return PLAIN.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the provenance as JSON", e);
        }
    }

    /**
     * Parses a checkpoint's provenance.
     *
     * @param source named in messages (the checkpoint file)
     * @throws IllegalArgumentException naming the source if the text is empty (a checkpoint written before
     *                                  checkpoints recorded their run) or not a valid provenance
     */
    public static RunProvenance fromJson(String json, String source) {
        if (json.isEmpty()) {
            throw new IllegalArgumentException(source + " records no run configuration (written by a fedgen before "
                    + "checkpoint format " + org.fedgen.core.io.CheckpointFile.VERSION + "); retrain to get one");
        }
        JsonNode root;
        try {
            root = PLAIN.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": provenance is not valid JSON: " + e.getMessage());
        }
        JsonNode version = root.get("fedgenVersion");
        JsonNode data = root.get("dataFingerprint");
        if (version == null || !version.isTextual() || data == null || !data.isTextual()) {
            throw new IllegalArgumentException(source + ": provenance lacks fedgenVersion or dataFingerprint");
        }
        return new RunProvenance(version.asText(), data.asText(), RunConfigJson.read(root.get("config"), source));
    }
}
