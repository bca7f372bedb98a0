package org.fedgen.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The server's side of one streamed round: fits are started in client-id order with at most {@code window} in flight,
 * the server awaits them in that same order (so an update that finishes early waits only for lower ids: the reorder
 * buffer holds fewer than {@code window} updates), each accepted update is folded and then released.
 */
final class StreamingRound {
    private final StreamingAggregator.Fold fold;
    private final boolean releaseEach;
    private final Set<INDArray> keep = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Integer, FitInstructions> sent;
    private final Iterator<Integer> toStart;
    private final BiFunction<Integer, FitInstructions, CompletableFuture<ClientUpdate>> start;
    private final Map<Integer, CompletableFuture<ClientUpdate>> inFlight = new LinkedHashMap<>();
    private final int window;
    private final long deadline;

    /**
     * @param sent     the instructions of every sampled client, in the order the server awaits them (ascending id)
     * @param start    starts one client's fit
     * @param window   the most fits in flight, the awaited one included (&gt;= 1)
     * @param deadline {@link System#nanoTime()} after which no fit is started (it would time out anyway)
     */
    StreamingRound(StreamingAggregator aggregator, ModelState global, RoundContext context,
            Map<Integer, FitInstructions> sent, BiFunction<Integer, FitInstructions,
            CompletableFuture<ClientUpdate>> start, int window, long deadline) {
        this.fold = aggregator.begin(global, context);
        this.releaseEach = aggregator.streams();
        this.keep.addAll(global.parts().values());
        this.sent = sent;
        this.toStart = sent.keySet().iterator();
        this.start = start;
        this.window = window;
        this.deadline = deadline;
    }

    /**
     * The future of client {@code id}, the next one in order, after starting fits up to the window (this one
     * included).
     */
    Map.Entry<Integer, CompletableFuture<ClientUpdate>> next(int id) {
        while (inFlight.size() < window && toStart.hasNext()) {
            int next = toStart.next();
            // Past the deadline a fit could only time out: it is not started, and the server counts it as timed out.
            inFlight.put(next, System.nanoTime() > deadline ? new CompletableFuture<>()
                    : start.apply(next, sent.get(next)));
        }
        CompletableFuture<ClientUpdate> f = inFlight.remove(id);
        if (f == null) {
            throw new IllegalStateException("client " + id + " awaited out of order or twice");
        }
        return Map.entry(id, f);
    }

    /**
     * After the server has judged an update: folds it if accepted (leaving only its metadata in {@code accepted}) and
     * releases its payload unless the fold buffers it, removing it from {@code received}.
     */
    void settle(ClientUpdate u, boolean isAccepted, List<ClientUpdate> accepted, List<ClientUpdate> received) {
        if (isAccepted) {
            fold.accept(u);
            if (releaseEach) {
                accepted.set(accepted.size() - 1, u.withParts(u.kind(), Map.of()));
            }
        }
        if (u != null && (releaseEach || !isAccepted)) {
            received.remove(received.size() - 1);
            for (INDArray a : u.parts().values()) {
                if (!keep.contains(a) && a.closeable() && !a.wasClosed()) {
                    a.close();
                }
            }
        }
    }

    /** The fold's result, after every sampled client has been settled. */
    ModelState finish() {
        return fold.finish();
    }
}
