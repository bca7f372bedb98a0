package org.fedgen.core.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ControlParts;
import org.fedgen.core.DriftCorrection;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.GeneratorScore;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a client does with a {@link TrainableModel} in one round, shared by the simulation's virtual clients and by
 * {@link ModelClient}: load the global state (or its own stored parts), train, build the payload the instructions ask
 * for, store the parts it must keep, and score its generator when asked.
 */
public final class LocalTraining {
    private LocalTraining() {
    }

    /** Trains {@code model} for client {@code clientId} and returns its update. */
    public static ClientUpdate fit(TrainableModel model, int clientId, Dataset train, ClientStore store,
            ModelState global, FitInstructions ins, GeneratorScore score) {
        if (train.size() == 0) {
            throw new IllegalStateException("client " + clientId + " has no training examples");
        }
        load(model, store, global, ins);
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, INDArray> payload = new LinkedHashMap<>();
        if (ins.payloadKind() == PayloadKind.GRADIENT) {
            Map<String, INDArray> grads = model.gradient(train, ins);
            for (String p : global.partNames()) {
                if (ins.sends(p)) {
                    INDArray g = grads.get(p);
                    if (g == null) {
                        throw new IllegalStateException("model returned no gradient for sent part '" + p + "'");
                    }
                    payload.put(p, g);
                }
            }
        } else {
            // Native memory is only reclaimed by the GC, which a small Java heap rarely triggers: copies made here
            // are closed as soon as they are no longer needed, and the payload is the only one that survives.
            ModelState start = ins.proximalMu() > 0 ? model.state() : null;
            DriftCorrection correction = ins.serverControl().isEmpty() ? null
                    : new DriftCorrection(ins.serverControl(), storedControls(store, ins));
            metrics.putAll(correction == null ? model.fit(train, ins, start)
                    : model.fit(train, ins, start, correction));
            ModelState after = model.state();
            for (String p : ins.persistParts()) {
                store.put(p, after.part(p));
            }
            for (String p : global.partNames()) {
                INDArray w = after.part(p);
                if (ins.sends(p)) {
                    payload.put(p, ins.payloadKind() == PayloadKind.DELTA ? w.subi(global.part(p)) : w);
                } else {
                    release(w);
                }
            }
            if (start != null) {
                start.parts().values().forEach(LocalTraining::release);
            }
            if (correction != null) {
                payload.putAll(updateControls(store, correction, ins));
            }
        }
        if (ins.reportMmd()) {
            metrics.put("mmd", generatorScore(model, train, ins, score));
        }
        return new ClientUpdate(clientId, ins.round(), train.size(), ins.payloadKind(), payload, metrics);
    }

    /** The client's controls c_i of the corrected parts it has stored (none before its first SCAFFOLD round). */
    private static Map<String, INDArray> storedControls(ClientStore store, FitInstructions ins) {
        if (ins.payloadKind() != PayloadKind.DELTA) {
            throw new IllegalArgumentException("a SCAFFOLD round sends deltas, but the instructions ask for "
                    + ins.payloadKind());
        }
        Map<String, INDArray> mine = new LinkedHashMap<>();
        for (String p : ins.serverControl().keySet()) {
            INDArray ci = store.get(ControlParts.of(p));
            if (ci != null) {
                mine.put(p, ci);
            }
        }
        return mine;
    }

    /**
     * Stores c_i⁺ for every corrected part that took a step and returns the changes Δc_i = c_i⁺ − c_i as control
     * parts (zero for a part that took none: its control stays).
     */
    private static Map<String, INDArray> updateControls(ClientStore store, DriftCorrection correction,
            FitInstructions ins) {
        Map<String, INDArray> changes = new LinkedHashMap<>();
        for (String p : correction.parts()) {
            String name = ControlParts.of(p);
            INDArray next = correction.nextControl(p);
            INDArray old = store.get(name);
            if (next == null) {
                changes.put(name, Nd4j.zeros(DataType.FLOAT, ins.serverControl().get(p).length()));
                continue;
            }
            changes.put(name, old == null ? next.dup() : next.sub(old));
            store.put(name, next);
        }
        return changes;
    }

    /** Frees an array's native memory now, if it owns it. */
    static void release(INDArray a) {
        if (a.closeable() && !a.wasClosed()) {
            a.close();
        }
    }

    /** Evaluates the global state (with the client's own stored parts where it resumes from them). */
    public static Map<String, Double> evaluate(TrainableModel model, Dataset eval, ClientStore store, ModelState global,
            EvalInstructions ins, java.util.Set<String> ownParts) {
        if (eval == null || eval.size() == 0) {
            return Map.of();
        }
        Map<String, INDArray> parts = new LinkedHashMap<>(global.parts());
        for (String p : ownParts) {
            INDArray mine = store.get(p);
            if (mine != null) {
                parts.put(p, mine);
            }
        }
        model.load(ModelState.of(global.round(), parts));
        return model.evaluate(eval, ins.seed());
    }

    private static void load(TrainableModel model, ClientStore store, ModelState global, FitInstructions ins) {
        Map<String, INDArray> parts = new LinkedHashMap<>(global.parts());
        for (String p : ins.resumeParts()) {
            INDArray mine = store.get(p);
            if (mine != null) {
                parts.put(p, mine);
            }
        }
        model.load(ModelState.of(global.round(), parts));
    }

    private static double generatorScore(TrainableModel model, Dataset train, FitInstructions ins,
            GeneratorScore score) {
        if (!(model instanceof GenerativeModel g)) {
            throw new IllegalStateException("MMD score requested but " + model.getClass().getSimpleName()
                    + " is not a GenerativeModel");
        }
        if (score == null) {
            throw new IllegalStateException("MMD score requested but no GeneratorScore is configured");
        }
        int n = Math.min(ins.mmdSamples(), train.size());
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(ins.seed(), "mmd-real"));
        int[] idx = new int[train.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        INDArray real = train.features().getRows(java.util.Arrays.copyOf(idx, n));
        INDArray fake = g.sample(n, Seeds.derive(ins.seed(), "mmd-fake"));
        return score.score(real, fake);
    }
}
