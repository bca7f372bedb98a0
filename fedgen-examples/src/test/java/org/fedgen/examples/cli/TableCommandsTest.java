package org.fedgen.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedgen train --data} and {@code fedgen eval --data}: options reach the library, bad tables fail in a line. */
class TableCommandsTest {
    @TempDir
    Path dir;

    private static String run(int expectedStatus, String... args) {
        CommandLine cli = FedgenCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream was = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedStatus, cli.execute(args), err.toString());
        } finally {
            System.setOut(was);
        }
        return out.toString(StandardCharsets.UTF_8) + err;
    }

    private static void refused(String expected, String... args) {
        String out = run(2, args).trim();
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("fedgen: ") && out.contains(expected), out);
    }

    private Path table(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private Path mixed() throws Exception {
        StringBuilder sb = new StringBuilder("g,x,c\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 2 == 0 ? "p" : "q").append(',').append(i * 0.5).append(',').append("abc".charAt(i % 3))
                    .append('\n');
        }
        return table("mixed.csv", sb.toString());
    }

    @Test
    void trainWritesSamplesWithTheTablesHeader() throws Exception {
        Path out = dir.resolve("run");
        run(0, "train", "--data", mixed().toString(), "--partition-by", "g", "--rounds", "1", "--local-steps", "1",
                "--samples", "20", "--workers", "1", "--out", out.toString());
        String samples = Files.readString(out.resolve("samples.csv"));
        assertEquals("g,x,c", samples.lines().findFirst().orElseThrow());
        assertEquals(21, samples.lines().count());
        assertTrue(Files.exists(out.resolve("eval.json")));
    }

    @Test
    void badTablesFailInOneLineNamingFileLineAndColumn() throws Exception {
        Path ragged = table("ragged.csv", "a,b\n1,2\n3\n");
        refused(ragged + " line 3: 1 fields, but the header has 2 columns", "train", "--data", ragged.toString(),
                "--out", dir.resolve("r").toString());
        Path schema = table("s.json", "{\"columns\": {\"b\": {\"type\": \"numeric\"}}}");
        Path words = table("words.csv", "a,b\n1,2\n3,four\n");
        refused(words + " line 3, column 'b': 'four' is not a number", "train", "--data", words.toString(),
                "--schema", schema.toString(), "--out", dir.resolve("w").toString());
        Path holes = table("holes.csv", "a,b\n1,2\n3,\n");
        refused(holes + " line 3, column 'b': missing value", "train", "--data", holes.toString(), "--out",
                dir.resolve("h").toString());
    }

    @Test
    void tableOptionsThatDoNotApplyAreRefused() throws Exception {
        String data = mixed().toString();
        refused("--clients applies only with no --partition-by", "train", "--data", data, "--partition-by", "g",
                "--clients", "3");
        refused("--schema applies only with --data FILE.csv", "train", "--schema", "s.json");
        refused("--quality-samples applies only with the bundled digits", "train", "--data", data,
                "--quality-samples", "10");
        refused("--partition dirichlet splits by digit labels", "train", "--data", data, "--partition", "dirichlet");
        refused("--target applies only with --data real.csv", "eval", "--samples", "x.idx", "--target", "c");
    }

    @Test
    void evalScoresSyntheticRowsAgainstRealOnes() throws Exception {
        Path real = table("real.csv", "x,c\n1,a\n2,b\n3,a\n4,b\n");
        Path synth = table("synth.csv", "x,c\n2,a\n3,b\n4,b\n5,b\n");
        String json = run(0, "eval", "--data", real.toString(), "--samples", synth.toString(), "--target", "c");
        // KS of {1,2,3,4} vs {2,3,4,5} is 1/4; TV of (a ½, b ½) vs (a ¼, b ¾) is 1/4
        assertTrue(json.contains("\"ks\" : 0.25"), json);
        assertTrue(json.contains("\"tv\" : 0.25"), json);
        assertTrue(json.contains("\"synthetic_to_real_accuracy\""), json);
        Path bad = table("bad.csv", "x,c\n1,z\n");
        refused(bad + " line 2, column 'c': unknown target class 'z'", "eval", "--data", real.toString(),
                "--samples", bad.toString(), "--target", "c");
    }
}
