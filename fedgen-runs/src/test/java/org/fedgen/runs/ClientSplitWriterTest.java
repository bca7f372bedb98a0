package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split written for real clients is exactly the one the simulation gives its clients: every shard and held-out
 * set reads back with the same labels and the same float32 bits, and the run's data fingerprint is the same.
 */
class ClientSplitWriterTest {
    @TempDir
    Path dir;

    @Test
    void theWrittenSplitReadsBackBitIdenticalToTheSimulationsShards() throws Exception {
        RunConfig o = RunConfig.builder().clients(4).partition(PartitionKind.dirichlet).alpha(0.3).seed(11).build();
        String fingerprint = ClientSplitWriter.write(o, dir);
        FederatedRun.Setup s = FederatedRun.setup(o);
        assertEquals(RunProvenance.fingerprint(s.shards(), s.clientEval()), fingerprint);
        List<Dataset> train = new ArrayList<>();
        List<Dataset> eval = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Path c = dir.resolve("client-" + k);
            train.add(Digits.fromFiles(c.resolve("train-images-idx3-ubyte"), c.resolve("train-labels-idx1-ubyte")));
            eval.add(Digits.fromFiles(c.resolve("eval-images-idx3-ubyte"), c.resolve("eval-labels-idx1-ubyte")));
            assertArrayEquals(s.shards().get(k).labels(), train.get(k).labels());
            assertArrayEquals(s.shards().get(k).features().toFloatMatrix(), train.get(k).features().toFloatMatrix());
        }
        assertEquals(fingerprint, RunProvenance.fingerprint(train, eval));
        String json = Files.readString(dir.resolve("split.json"));
        assertTrue(json.contains("\"dataFingerprint\" : \"" + fingerprint + "\""), json);
        assertTrue(json.contains("\"seed\" : 11"), json);
    }

    @Test
    void aDirectoryHoldingASplitIsNotOverwritten() throws Exception {
        RunConfig o = RunConfig.builder().clients(2).partition(PartitionKind.iid).build();
        ClientSplitWriter.write(o, dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientSplitWriter.write(o,
                dir));
        assertEquals(dir + " already holds a split (split.json); choose another --out or delete it", e.getMessage());
    }
}
