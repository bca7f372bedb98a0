package org.fedgen.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.IdxFormat;
import org.fedgen.core.io.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Writes the client split of a run as files, one folder per client, so that a real client process loads only its own
 * data: exactly the training shards and held-out examples {@link FederatedRun} gives its simulated clients for the
 * same configuration (partition, its options and the seed).
 *
 * <p>Layout: {@code DIR/client-K/train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code eval-images-idx3-ubyte}, {@code eval-labels-idx1-ubyte} for K = 0..N−1 (IDX ubyte, pixels round(x · 255),
 * which reads back to the same floats), and {@code DIR/split.json} with the options, the seed, the run's data
 * fingerprint and each client's sizes and fingerprint.
 */
public final class ClientSplitWriter {
    /** Name of the split description in the output directory. */
    public static final String SPLIT_JSON = "split.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ClientSplitWriter() {
    }

    /** The folder of client {@code k} in a split written to {@code dir}. */
    public static Path clientDirectory(Path dir, int k) {
        return dir.resolve("client-" + k);
    }

    /**
     * Writes the split of {@code config} into {@code dir} and returns the run's data fingerprint (the one its
     * checkpoint records).
     *
     * @throws IllegalArgumentException for the centralized baseline or an attack configuration (whose split is not
     *                                  what clients hold), or if {@code dir} already holds a split
     * @throws UncheckedIOException     if a file cannot be written, naming it
     */
    public static String write(RunConfig config, Path dir) {
        if (config.centralized()) {
            throw new IllegalArgumentException("the centralized baseline has no client split to write");
        }
        if (config.robust().attack() != AttackKind.none) {
            throw new IllegalArgumentException("--attack " + config.robust().attack() + " poisons the shards on the "
                    + "server; a written split holds clean client data only");
        }
        if (Files.exists(dir.resolve(SPLIT_JSON))) {
            throw new IllegalArgumentException(dir + " already holds a split (" + SPLIT_JSON + "); choose another "
                    + "--out or delete it");
        }
        FederatedRun.Setup s = FederatedRun.setup(config);
        String fingerprint = RunProvenance.fingerprint(s.shards(), s.clientEval());
        ObjectNode root = JSON.createObjectNode();
        root.put("clients", config.clients());
        root.put("partition", config.partition().name());
        root.put("alpha", config.alpha());
        root.put("labelsPerClient", config.labelsPerClient());
        root.put("shardSize", config.shardSize());
        root.put("seed", config.seed());
        root.put("dataFingerprint", fingerprint);
        ArrayNode clients = root.putArray("clientData");
        for (int k = 0; k < s.shards().size(); k++) {
            Dataset train = s.shards().get(k);
            Dataset eval = s.clientEval().get(k);
            Path cd = clientDirectory(dir, k);
            write(cd, "train", train);
            write(cd, "eval", eval);
            clients.addObject().put("id", k).put("train", train.size()).put("eval", eval.size())
                    .put("fingerprint", RunProvenance.fingerprint(List.of(train), List.of(eval)));
        }
        Path json = dir.resolve(SPLIT_JSON);
        try {
            AtomicFiles.writeString(json, JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
        }
        return fingerprint;
    }

    private static void write(Path dir, String prefix, Dataset d) {
        int[] shape = d.itemShape();
        int h = shape[shape.length - 2];
        int w = shape[shape.length - 1];
        int n = d.size();
        byte[] px = new byte[n * h * w];
        if (n > 0) {
            float[] x = d.features().castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < x.length; i++) {
                // Pixels were read as b / 255f; round(x · 255) gives b back exactly.
                px[i] = (byte) Math.round(Math.max(0f, Math.min(1f, x[i])) * 255f);
            }
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) d.label(i);
        }
        Path images = dir.resolve(prefix + "-images-idx3-ubyte");
        Path labelFile = dir.resolve(prefix + "-labels-idx1-ubyte");
        try {
            IdxFormat.write(images, new int[] {n, h, w}, px);
            IdxFormat.write(labelFile, new int[] {n}, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + images + ": " + e.getMessage(), e);
        }
    }
}
