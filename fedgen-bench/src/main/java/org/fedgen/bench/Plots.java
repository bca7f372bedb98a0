package org.fedgen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** PNG plots of the harness's results. */
final class Plots {
    private Plots() {
    }

    /** Bars of fedgen / libtorch step-time ratios (below 1 = fedgen faster), one per model. */
    static Path stepRatios(Path dir, List<StepComparison.Result> results) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(400)
                .title("CPU time per local step, fedgen / libtorch (1 thread, batch 64)").xAxisTitle("model")
                .yAxisTitle("fedgen / libtorch (below 1: fedgen faster)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        double top = 1.0;
        List<String> names = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (StepComparison.Result r : results) {
            names.add(r.model().split(" ")[0]);
            ratios.add(r.ratio());
            top = Math.max(top, r.ratio());
        }
        chart.getStyler().setYAxisMax(Math.ceil(top * 1.1 * 4) / 4);
        chart.addSeries("fedgen / libtorch", names, ratios);
        return save(chart, dir.resolve("bench-step-ratio.png"));
    }

    /** Round time (left) and peak RSS (right axis) against clients per round. */
    static Path scale(Path dir, List<ScaleCurve.Point> points) {
        XYChart chart = new XYChartBuilder().width(640).height(400)
                .title("Streamed VAE round vs clients per round (" + points.get(0).clients() + " clients, 1 worker)")
                .xAxisTitle("clients per round").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double[] k = new double[points.size()];
        double[] sec = new double[points.size()];
        double[] gib = new double[points.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = points.get(i).perRound();
            sec[i] = points.get(i).roundMs() / 1e3;
            gib[i] = points.get(i).peakRssKb() / (1024.0 * 1024.0);
        }
        chart.addSeries("round 1 wall time (s)", k, sec);
        XYSeries rss = chart.addSeries("peak RSS (GiB)", k, gib);
        rss.setYAxisGroup(1);
        chart.setYAxisGroupTitle(0, "seconds");
        chart.setYAxisGroupTitle(1, "GiB");
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        return save(chart, dir.resolve("bench-scale.png"));
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
