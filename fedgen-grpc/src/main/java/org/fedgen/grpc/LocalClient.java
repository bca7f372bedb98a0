package org.fedgen.grpc;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GeneratorScore;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.ClientStore;
import org.fedgen.core.sim.LocalTraining;
import org.fedgen.core.sim.WorkerPool;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One client id of a client host: its data and the parts it keeps between rounds (local-only parts, a generator it
 * keeps training), trained exactly as the simulation's virtual client is ({@link LocalTraining} on a worker's model).
 * A fit task offered again for the same round (after a lost session) gets the same answer: the one still being
 * computed or not yet delivered, or else a retraining from the kept parts as they were before the round.
 */
final class LocalClient {
    private final int id;
    private final Dataset train;
    private final Dataset eval;
    private final WorkerPool<? extends TrainableModel> pool;
    private final GeneratorScore score;
    private final Set<String> localOnly;
    private final ClientStore store = new ClientStore();
    // Guarded by this.
    private long round = Long.MIN_VALUE;
    private CompletableFuture<ClientUpdate> fitting;
    private boolean delivered;
    /** The kept parts before this round's first fit (null when nothing was kept). */
    private Map<String, INDArray> before;

    LocalClient(int id, Dataset train, Dataset eval, WorkerPool<? extends TrainableModel> pool,
            GeneratorScore score, Set<String> localOnly) {
        this.id = id;
        this.train = Objects.requireNonNull(train, "train");
        this.eval = eval;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.score = score;
        this.localOnly = Set.copyOf(localOnly);
    }

    /** The update of a fit task; for a round already asked, the same answer (see the class comment). */
    synchronized CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions ins) {
        if (ins.round() == round) {
            if (fitting != null && !delivered) {
                return fitting;
            }
            store.restore(before == null ? Map.of() : before);
        } else {
            round = ins.round();
            release(before);
            before = store.isEmpty() ? null : store.snapshot();
        }
        delivered = false;
        fitting = pool.submit(m -> LocalTraining.fit(m, id, train, store, global, ins, score));
        return fitting;
    }

    /**
     * Claims {@code update} of {@code f} for sending: true once, for the answer of the round's latest fit; the caller
     * then sends it and frees its payload. A later offer of the same round trains again.
     */
    synchronized boolean claim(CompletableFuture<ClientUpdate> f) {
        if (f != fitting || delivered) {
            return false;
        }
        delivered = true;
        return true;
    }

    /** Evaluates the global state with this client's own kept copy of the local-only parts and of {@code own}. */
    CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins, Set<String> own) {
        Set<String> parts = new HashSet<>(localOnly);
        parts.addAll(own);
        return pool.submit(m -> LocalTraining.evaluate(m, eval, store, global, ins, parts));
    }

    private static void release(Map<String, INDArray> parts) {
        if (parts != null) {
            for (INDArray a : parts.values()) {
                if (a.closeable() && !a.wasClosed()) {
                    a.close();
                }
            }
        }
    }
}
