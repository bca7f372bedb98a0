package org.fedgen.examples.cli;

import org.fedgen.core.ModelState;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;

/** Prints one line per round: the CLI's progress display. */
final class ConsoleProgress implements RoundListener {
    private final long start = System.nanoTime();

    @Override
    public void onRoundEnd(RoundResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("round %3d", r.round()));
        // A private run publishes no client counts or losses; print only what the round published.
        if (r.metrics().containsKey("accepted")) {
            sb.append(String.format("  clients %2.0f/%-2.0f  loss %9.4f", r.metric("accepted"), r.metric("sampled"),
                    r.metric("client_loss")));
        }
        for (String key : new String[] {"elbo", "fid", "mmd", "epsilon", "epsilon_not_a_guarantee",
            "client_epsilon", "client_epsilon_not_a_guarantee", "record_epsilon_max", "record_epsilon_max_not_a_guarantee", "min_class_fraction", "cond_accuracy"}) {
            double v = r.metric(key);
            if (Double.isFinite(v)) {
                sb.append(String.format("  %s %.4f", key, v));
            }
        }
        if (r.metric("rejected") + r.metric("failed") + r.metric("timed_out") > 0) {
            sb.append(String.format("  rejected %.0f", r.metric("rejected") + r.metric("failed")
                    + r.metric("timed_out")));
        }
        if (r.metrics().containsKey("wall_ms")) {
            sb.append(String.format("  round %.1f s", r.metric("wall_ms") / 1000));
        }
        sb.append(String.format("  total %.1f s", (System.nanoTime() - start) / 1e9));
        System.out.println(sb);
    }

    @Override
    public void onRunEnd(ModelState finalState) {
        System.out.printf("run ended after round %d, %.1f s%n", finalState.round(), (System.nanoTime() - start) / 1e9);
    }
}
