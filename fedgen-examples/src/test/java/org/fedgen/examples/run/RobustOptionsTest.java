package org.fedgen.examples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.CoordinateMedian;
import org.fedgen.core.aggregate.GeometricMedian;
import org.fedgen.core.aggregate.Krum;
import org.fedgen.core.aggregate.NormBound;
import org.fedgen.core.aggregate.TrimmedMean;
import org.fedgen.core.attack.PoisonedClient;
import org.fedgen.core.data.Dataset;
import org.fedgen.examples.cli.FedgenCli;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/** The robust-aggregation and attack options: names, mapping to library objects, one-line errors. */
class RobustOptionsTest {
    private static RunOptions parse(String... args) {
        RunOptions o = new RunOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static String fails(String... args) {
        CommandLine cli = FedgenCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute(args), err.toString());
        return err.toString();
    }

    private record Stub(int clientId) implements ClientProxy {
        @Override
        public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void everyAggregatorNameMapsToItsLibraryRuleWithTheOptionsParameters() {
        RunOptions o = parse("--aggregator", "trimmed-mean", "--trim-fraction", "0.2");
        assertEquals(0.2, ((TrimmedMean) o.robust.aggregator(o.aggregator, 10)).beta());
        assertEquals("runs/vae-trimmed-mean", o.outputDirectory().toString());
        assertInstanceOf(CoordinateMedian.class, parse("--aggregator", "median").robust
                .aggregator(RunOptions.AggregatorKind.median, 10));
        Krum k = (Krum) parse().robust.aggregator(RunOptions.AggregatorKind.krum, 10);
        assertEquals(1, k.m());
        RunOptions mk = parse("--aggregator", "multi-krum", "--krum-f", "2", "--krum-m", "5");
        Krum m = (Krum) mk.robust.aggregator(mk.aggregator, 10);
        assertEquals(2, m.f());
        assertEquals(5, m.m());
        RunOptions nb = parse("--aggregator", "norm-bound", "--norm-bound", "3");
        assertEquals(3.0, ((NormBound) nb.robust.aggregator(nb.aggregator, 10)).bound());
        assertInstanceOf(GeometricMedian.class, parse().robust.aggregator(RunOptions.AggregatorKind.rfa, 10));
        assertNull(parse().robust.aggregator(RunOptions.AggregatorKind.fedavg, 10));
    }

    @Test
    void theAttackWrapsExactlyTheChosenClients() {
        RunOptions o = parse("--attack", "sign-flip", "--attack-fraction", "0.3");
        var wrap = o.robust.clientWrapper(10, 42);
        int wrapped = 0;
        for (int id = 0; id < 10; id++) {
            ClientProxy p = wrap.apply(new Stub(id));
            assertEquals(o.robust.attackers(10, 42).contains(id), p instanceof PoisonedClient, "client " + id);
            wrapped += p instanceof PoisonedClient ? 1 : 0;
        }
        assertEquals(3, wrapped);
        ClientProxy s = new Stub(1);
        assertSame(s, parse().robust.clientWrapper(10, 42).apply(s));
        assertSame(s, parse("--attack", "label-flip").robust.clientWrapper(10, 42).apply(s));
    }

    @Test
    void dataPoisoningReplacesTheAttackersShardsAndNeedsAConditionalModel() {
        List<Dataset> shards = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            shards.add(new Dataset(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 784), new int[] {1, 2},
                    new int[] {1, 28, 28}));
        }
        RobustOptions r = parse("--attack", "label-flip", "--attack-fraction", "0.2").robust;
        List<Dataset> out = r.poisonedShards(shards, 7, true);
        int attacker = r.attackers(5, 7).first();
        for (int i = 0; i < 5; i++) {
            int[] expected = i == attacker ? new int[] {8, 7} : new int[] {1, 2};
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(out.get(i).labels()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.poisonedShards(shards, 7, false));
        assertTrue(e.getMessage().contains("--conditional"), e.getMessage());
    }

    @Test
    void badValuesFailWithOneLineNamingTheOption() {
        assertTrue(fails("train", "--aggregator", "bogus").contains("'bogus'"));
        assertTrue(fails("train", "--attack", "flip").contains("'flip'"));
        String[][] cases = {
            {"--trim-fraction", "0.5", "--trim-fraction must be in [0, 0.5), got 0.5"},
            {"--norm-bound", "0", "--norm-bound must be finite and > 0, got 0.0"},
            {"--rfa-iterations", "0", "--rfa-iterations must be >= 1, got 0"},
            {"--max-client-weight", "1.5", "--max-client-weight must be in (0, 1], got 1.5"},
            {"--attack-fraction", "-0.1", "--attack-fraction must be in [0, 1], got -0.1"},
        };
        for (String[] c : cases) {
            String err = fails("train", "--rounds", "1", "--quality-samples", "0", "--out", "target/robust-bad",
                    c[0], c[1]);
            assertTrue(err.contains(c[2]), err);
            assertEquals(1, err.strip().lines().count(), err);
        }
        String krum = fails("train", "--rounds", "1", "--quality-samples", "0", "--out", "target/robust-bad",
                "--aggregator", "krum", "--krum-f", "4");
        assertTrue(krum.contains("2f + 3 = 11") && krum.contains("have 10"), krum);
    }

    @Test
    void backdoorSuccessIsTheFractionOfTargetLabelSamplesDrawingTheTrigger() {
        RobustOptions r = parse("--attack", "backdoor", "--backdoor-label", "3").robust;
        float[] trigger = r.backdoor().trigger();
        int[][] asked = new int[1][];
        ModelRecipe halfTriggers = new ModelRecipe() {
            @Override
            public java.util.function.Supplier<org.fedgen.core.GenerativeModel> factory() {
                throw new UnsupportedOperationException();
            }

            @Override
            public String generatorPart() {
                return "generator";
            }

            @Override
            public Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed) {
                return Map.of();
            }

            @Override
            public org.nd4j.linalg.api.ndarray.INDArray sample(ModelState global, int n, long seed) {
                throw new UnsupportedOperationException();
            }

            /** Even rows are the trigger, odd rows all ones. */
            @Override
            public org.nd4j.linalg.api.ndarray.INDArray sample(ModelState global, int[] labels, long seed) {
                asked[0] = labels;
                float[][] rows = new float[labels.length][];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i % 2 == 0 ? trigger : new float[784];
                    if (i % 2 == 1) {
                        java.util.Arrays.fill(rows[i], 1f);
                    }
                }
                return Nd4j.createFromArray(rows);
            }
        };
        // even rows match exactly; odd rows (all ones) differ by 1 - 36/784 > 0.1 on average
        assertEquals(Map.of("backdoor_success", 0.5), r.backdoorSuccess(halfTriggers, null, 1));
        assertEquals(RobustOptions.BACKDOOR_SAMPLES, asked[0].length);
        assertTrue(java.util.Arrays.stream(asked[0]).allMatch(y -> y == 3));
        assertEquals(Map.of(), parse().robust.backdoorSuccess(halfTriggers, null, 1));
        assertThrows(IllegalArgumentException.class, () -> new VaeRecipe().sample(null, new int[] {1}, 1));
    }
}
