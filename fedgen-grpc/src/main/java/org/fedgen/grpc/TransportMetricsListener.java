package org.fedgen.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;

/**
 * Appends one row per round to a CSV file: the round, then every {@link TransportCounters#snapshot()} column counted
 * during that round (refusals by reason, sessions opened and lost, wire bytes), so each refusal shows in the round it
 * happened in.
 */
public final class TransportMetricsListener implements RoundListener {
    private final Path file;
    private final TransportCounters counters;
    private Map<String, Long> last;

    /** Writes to {@code file} (header first if it does not exist yet). */
    public TransportMetricsListener(Path file, TransportCounters counters) {
        this.file = file;
        this.counters = counters;
        this.last = counters.snapshot();
    }

    @Override
    public void onRoundEnd(RoundResult result) {
        Map<String, Long> now = counters.snapshot();
        StringBuilder sb = new StringBuilder();
        if (!Files.exists(file)) {
            sb.append("round,").append(String.join(",", now.keySet())).append('\n');
        }
        sb.append(result.round());
        now.forEach((k, v) -> sb.append(',').append(v - last.getOrDefault(k, 0L)));
        sb.append('\n');
        last = now;
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
