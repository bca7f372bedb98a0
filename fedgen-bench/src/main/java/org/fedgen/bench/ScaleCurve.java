package org.fedgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Round time and peak RSS against clients per round: one {@link ScaleProbe} child JVM per K (so each peak RSS is its
 * own), with this JVM's java binary, class path and {@code -D} settings and {@code -Xmx1g}.
 */
final class ScaleCurve {
    /** One child's figures. */
    record Point(int clients, int perRound, double roundMs, long peakRssKb) {
    }

    private final int clients;
    private final int[] perRound;

    ScaleCurve(int clients, int[] perRound) {
        this.clients = clients;
        this.perRound = perRound.clone();
    }

    List<Point> run() {
        List<Point> points = new ArrayList<>();
        for (int k : perRound) {
            points.add(probe(k));
        }
        return points;
    }

    private Point probe(int k) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx1g");
        for (String p : new String[] {"org.bytedeco.javacpp.platform.extension", "org.bytedeco.openblas.load"}) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScaleProbe.class.getName());
        cmd.add(Integer.toString(clients));
        cmd.add(Integer.toString(k));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        try {
            Process p = pb.start();
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("round1_ms=")) {
                        last = line;
                    }
                }
            }
            int code = p.waitFor();
            if (code != 0 || last == null) {
                throw new IllegalStateException("scale probe N=" + clients + " K=" + k + " failed with exit code "
                        + code);
            }
            String[] f = last.split(" ");
            return new Point(clients, k, Double.parseDouble(f[0].substring("round1_ms=".length())),
                    Long.parseLong(f[1].substring("peak_rss_kb=".length())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the scale probe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scale probe", e);
        }
    }
}
