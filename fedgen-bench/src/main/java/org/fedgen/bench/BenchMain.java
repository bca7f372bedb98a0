package org.fedgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fedgen.models.gan.GanLoss;

/**
 * The one benchmark command (see {@code fedgen-bench/run}): prints, measured side by side in one run, FedAvg GB/s
 * against a one-pass Java limit, the VAE / GAN / DDPM-MLP local step of fedgen against libtorch as ratios, DP-FedAvg
 * round time against FedAvg round time, round time and peak RSS against clients per round, and the record-level
 * private (DP-SGD) step against the plain step; writes PNG plots.
 * {@code jmh [JMH options]} runs the JMH micro-benchmarks instead.
 */
public final class BenchMain {
    private static final Set<String> SECTIONS = Set.of("fedavg", "steps", "dp", "scale", "dpstep");

    private BenchMain() {
    }

    /** Parsed command-line settings. */
    private static final class Settings {
        Set<String> sections = new LinkedHashSet<>(List.of("fedavg", "steps", "dp", "scale", "dpstep"));
        Set<String> models = new LinkedHashSet<>(List.of("vae", "gan", "ddpm"));
        Path plots = Path.of("docs");
        int steps = 50;
        int repeats = 7;
        int fedAvgClients = 50;
        int fedAvgParams = 1_000_000;
        int dpRounds = 6;
        int dpRepeats = 2;
        int scaleClients = 1000;
        int[] scalePerRound = {25, 50, 100, 200};
    }

    /** Runs the harness; exits 2 with one line on bad arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Settings s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fedgen-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Locale.setDefault(Locale.ROOT);
        header();
        if (s.sections.contains("fedavg")) {
            FedAvgThroughput.Result r = new FedAvgThroughput(s.fedAvgClients, s.fedAvgParams, s.repeats).run();
            System.out.printf("FedAvg %d clients x %d float32 (%.0f MB): fedgen %.2f GB/s, one-pass Java limit %.2f GB/s,"
                    + " ratio %.2f%n", r.clients(), r.params(), 4.0 * r.clients() * r.params() / 1e6, r.fedgenGbps(),
                    r.javaGbps(), r.ratio());
        }
        if (s.sections.contains("steps")) {
            StepComparison c = new StepComparison(s.steps, s.repeats);
            List<StepComparison.Result> results = new ArrayList<>();
            for (String m : s.models) {
                StepComparison.Result r = switch (m) {
                    case "vae" -> c.vae();
                    case "gan" -> c.gan();
                    default -> c.ddpm();
                };
                results.add(r);
                System.out.printf("step %s: CPU fedgen %.3f ms, libtorch %.3f ms, fedgen/libtorch %.2f; wall %.3f vs"
                        + " %.3f ms, %.2f (medians of %d x %d steps; process/thread CPU %.2f)%n", r.model(),
                        r.fedgenCpuMs(), r.torchCpuMs(), r.ratio(), r.fedgenWallMs(), r.torchWallMs(), r.wallRatio(),
                        s.repeats, s.steps, r.processCpuShare());
            }
            System.out.println("plot: " + Plots.stepRatios(s.plots, results));
        }
        if (s.sections.contains("dp")) {
            DpOverhead.Result r = new DpOverhead(s.dpRounds, s.dpRepeats).run();
            System.out.printf("round VAE default job: FedAvg %.0f ms, DP-FedAvg (q=1, z=1, S=1) %.0f ms, DP/FedAvg %.2f"
                    + " (goal <= 1.10; medians of rounds 2..%d x %d runs)%n", r.fedAvgMs(), r.dpMs(), r.ratio(),
                    r.rounds() - 1, s.dpRepeats);
        }
        if (s.sections.contains("scale")) {
            List<ScaleCurve.Point> points = new ScaleCurve(s.scaleClients, s.scalePerRound).run();
            for (ScaleCurve.Point p : points) {
                System.out.printf("scale N=%d K=%d: round 1 %.1f s, peak RSS %d kB (%.2f GiB)%n", p.clients(),
                        p.perRound(), p.roundMs() / 1e3, p.peakRssKb(), p.peakRssKb() / (1024.0 * 1024.0));
            }
            System.out.println("plot: " + Plots.scale(s.plots, points));
        }
        if (s.sections.contains("dpstep")) {
            DpStepComparison c = new DpStepComparison(s.steps, s.repeats);
            for (DpStepComparison.Result r : List.of(c.vae(), c.discriminator(GanLoss.WGAN_GP),
                    c.discriminator(GanLoss.NON_SATURATING_BCE))) {
                System.out.printf("dpstep %s: non-private %.3f ms, private %.3f ms, private/non-private %.2f (goal <= 2);"
                        + " clipping only %.3f ms (%.2f), secure noise only %.3f ms (%d coordinates, %.2f ns each)"
                        + " (best thread CPU of %d x %d steps)%n", r.model(), r.plainMs(), r.privateMs(), r.ratio(),
                        r.clipOnlyMs(), r.clipRatio(), r.noiseOnlyMs(), r.coordinates(), r.noiseNsPerCoordinate(),
                        s.repeats, s.steps);
            }
        }
        System.out.println("load average after: " + loadAverage());
    }

    private static void header() {
        System.out.printf("fedgen-bench: %d cores, OMP_NUM_THREADS=%s, ND4J native build %s, CPU AVX-512 %s, BLAS %s,"
                + " load average %s%n", Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                CpuFeatures.nd4jBuild(), CpuFeatures.hasAvx512() ? "yes" : "no",
                System.getProperty("org.bytedeco.openblas.load", "openblas"), loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Settings parse(String[] args) {
        Settings s = new Settings();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                usage();
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value (see --help)");
            }
            String v = args[++i];
            switch (a) {
                case "--sections" -> s.sections = names(a, v, SECTIONS);
                case "--models" -> s.models = names(a, v, Set.of("vae", "gan", "ddpm"));
                case "--plots" -> s.plots = Path.of(v);
                case "--steps" -> s.steps = positive(a, v);
                case "--repeats" -> s.repeats = positive(a, v);
                case "--fedavg-clients" -> s.fedAvgClients = positive(a, v);
                case "--fedavg-params" -> s.fedAvgParams = positive(a, v);
                case "--dp-rounds" -> s.dpRounds = positive(a, v);
                case "--dp-repeats" -> s.dpRepeats = positive(a, v);
                case "--scale-clients" -> s.scaleClients = positive(a, v);
                case "--scale-per-round" -> s.scalePerRound = Arrays.stream(v.split(",")).mapToInt(x -> positive(a, x))
                        .toArray();
                default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        if (s.dpRounds < 3) {
            throw new IllegalArgumentException("--dp-rounds must be >= 3 (warm-up, timed, evaluated), got "
                    + s.dpRounds);
        }
        return s;
    }

    private static Set<String> names(String option, String v, Set<String> allowed) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : v.split(",")) {
            if (!allowed.contains(n)) {
                throw new IllegalArgumentException(option + " " + n + " is not one of " + allowed);
            }
            out.add(n);
        }
        return out;
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a positive integer, got '" + v + "'");
    }

    private static void usage() {
        System.out.println("""
                usage: fedgen-bench/run [options]        all sections, side by side in one run
                       fedgen-bench/run jmh [JMH options] JMH micro-benchmarks (e.g. jmh -l to list)
                  --sections LIST        fedavg,steps,dp,scale,dpstep (default: all)
                  --models LIST          vae,gan,ddpm for the step section (default: all)
                  --steps N              local steps per timed repeat (default 50)
                  --repeats N            repeats of each timing, medians reported (dpstep: best) (default 7)
                  --fedavg-clients K     clients in the FedAvg throughput test (default 50)
                  --fedavg-params P      float32 parameters per client (default 1000000)
                  --dp-rounds R          rounds per DP / FedAvg run (default 6)
                  --dp-repeats N         alternating DP / FedAvg runs (default 2)
                  --scale-clients N      total pool clients in the scale section (default 1000)
                  --scale-per-round LIST clients per round (default 25,50,100,200)
                  --plots DIR            where the PNG plots go (default docs)""");
    }
}
