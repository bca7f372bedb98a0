package org.fedgen.runs.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.core.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Draws the evaluation curves of a run into one PNG ({@code metrics.png}), one panel per metric against the round:
 * FID, the family's held-out loss (ELBO, ε-loss or the generator loss), and ε of a DP run, whichever the run reports.
 * The file is redrawn (atomically replaced) after every round that reports one of them, so it can be watched during a
 * long run.
 */
public final class MetricsPlotListener implements RoundListener {
    /** Plotted metrics, in panel order, with their panel titles. */
    private static final Map<String, String> PLOTTED = new LinkedHashMap<>();

    static {
        PLOTTED.put("fid", "FID (lower is better)");
        PLOTTED.put("elbo", "held-out ELBO");
        PLOTTED.put("eps_loss", "held-out epsilon-loss");
        PLOTTED.put("g_loss", "held-out generator loss");
        PLOTTED.put("epsilon", "privacy spent: epsilon");
    }

    private final Path file;
    private final Map<String, List<double[]>> curves = new LinkedHashMap<>();

    /** @param file the PNG to (re)write */
    public MetricsPlotListener(Path file) {
        this(file, List.of());
    }

    /**
     * @param file    the PNG to (re)write
     * @param earlier metrics rows of the rounds before this run's first (a resumed run's, read back from its
     *                metrics.csv), plotted with the new ones; each row's {@code round} is its x value
     */
    public MetricsPlotListener(Path file, List<Map<String, Double>> earlier) {
        this.file = Objects.requireNonNull(file, "file");
        for (Map<String, Double> row : earlier) {
            Double round = row.get("round");
            if (round != null) {
                add(round, row::get);
            }
        }
    }

    /** The metrics this listener plots when a round reports them. */
    public static List<String> plottedMetrics() {
        return List.copyOf(PLOTTED.keySet());
    }

    @Override
    public void onRoundEnd(RoundResult r) {
        if (add(r.round(), r::metric)) {
            draw();
        }
    }

    /** Adds the round's finite plotted metrics ({@code metric} gives null or NaN for absent ones); true if any. */
    private boolean add(double round, java.util.function.Function<String, Double> metric) {
        boolean changed = false;
        for (String key : PLOTTED.keySet()) {
            Double v = metric.apply(key);
            if (v != null && Double.isFinite(v)) {
                curves.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {round, v});
                changed = true;
            }
        }
        return changed;
    }

    private void draw() {
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
            List<double[]> pts = e.getValue();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            XYChart c = new XYChartBuilder().width(480).height(320).title(PLOTTED.get(e.getKey())).xAxisTitle("round")
                    .yAxisTitle(e.getKey()).build();
            c.getStyler().setLegendVisible(false);
            c.addSeries(e.getKey(), x, y);
            charts.add(c);
        }
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(charts, 1, charts.size(), png, BitmapEncoder.BitmapFormat.PNG);
            byte[] bytes = png.toByteArray();
            AtomicFiles.write(file, ch -> {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
