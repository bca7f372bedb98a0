package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fedgen.core.io.Checkpoint;
import org.fedgen.core.io.CheckpointFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run records its configuration (config.json, checkpoint provenance) and never trains over another run. */
class RunDirectoryTest {
    @TempDir
    Path dir;

    private RunConfig tiny(Path out) {
        return RunConfig.builder().model(VaeSettings.defaults()).clients(2).partition(PartitionKind.iid).rounds(1)
                .localSteps(1).batchSize(8).workers(1).evalEvery(1).qualitySamples(0).samples(0).out(out).build();
    }

    private static Map<String, byte[]> contents(Path d) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                m.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return m;
    }

    @Test
    void theCheckpointAndConfigJsonRecordTheRunsConfiguration() throws Exception {
        RunConfig o = tiny(dir.resolve("a"));
        Path out = new FederatedRun(o).run();
        assertEquals(o, RunConfigJson.read(Files.readString(out.resolve("config.json")), "config.json"));
        Checkpoint cp = CheckpointFile.read(out.resolve("checkpoint.fgs"));
        RunProvenance p = RunProvenance.fromJson(cp.provenance(), "checkpoint.fgs");
        assertEquals(o, p.config());
        assertEquals(RunProvenance.currentVersion(), p.fedgenVersion());
        assertFalse(p.fedgenVersion().contains("${"), "the version is filtered in by Maven: " + p.fedgenVersion());
        FederatedRun.Setup s = FederatedRun.setup(o);
        assertEquals(RunProvenance.fingerprint(s.shards(), s.clientEval()), p.dataFingerprint());
        FederatedRun.Setup other = FederatedRun.setup(o.toBuilder().seed(43).build());
        assertFalse(p.dataFingerprint().equals(RunProvenance.fingerprint(other.shards(), other.clientEval())),
                "another split has another fingerprint");
    }

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedAndLeavesItUntouched() throws Exception {
        Path out = new FederatedRun(tiny(dir.resolve("b"))).run();
        Files.writeString(out.resolve(".metrics.csv.123.tmp"), "stale");
        Map<String, byte[]> before = contents(out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FederatedRun(tiny(out)).run());
        assertEquals("output directory " + out + " already holds a run (checkpoint.fgs); pass --overwrite to "
                + "replace it, or choose another --out", e.getMessage());
        Map<String, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet());
        for (String f : before.keySet()) {
            assertTrue(java.util.Arrays.equals(before.get(f), after.get(f)), f);
        }
    }

    @Test
    void overwritingReplacesTheRunAndRemovesStaleTempFiles() throws Exception {
        Path out = new FederatedRun(tiny(dir.resolve("c")).toBuilder().rounds(2).build()).run();
        assertTrue(Files.exists(out.resolve("samples-round-0002.png")));
        Files.writeString(out.resolve(".metrics.csv.123.tmp"), "stale");
        new FederatedRun(tiny(out)).overwriting().run();
        assertFalse(Files.exists(out.resolve("samples-round-0002.png")), "the old run's outputs are gone");
        assertFalse(Files.exists(out.resolve(".metrics.csv.123.tmp")));
        assertEquals(1, CheckpointFile.read(out.resolve("checkpoint.fgs")).round());
    }
}
