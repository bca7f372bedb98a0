package org.fedgen.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedgen.core.Client;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.util.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Local differential privacy: wraps any client and privatises its update before it leaves. The delta over the
 * protected parts, flattened together, is clipped to L2 norm S and N(0, (zS)²) is added to every coordinate, so the
 * server (or anyone on the wire) sees only a noised delta. The update is sent as a {@link PayloadKind#DELTA} payload;
 * parts outside the protected set are sent as plain deltas.
 *
 * <p>Each client pays for its own noise, so for the same z the averaged update is about √(clients) times noisier than
 * with central DP-FedAvg. Metrics the inner client reports (loss, ...) are passed on unprotected.
 */
public final class LocalDpClient implements Client {
    private final Client inner;
    private final double clipNorm;
    private final double noiseMultiplier;
    private final Set<String> protectedParts;
    private final NoiseMode noiseMode;

    /**
     * @param inner           the client that trains
     * @param clipNorm        S > 0
     * @param noiseMultiplier z ≥ 0; noise std per coordinate is zS
     * @param protectedParts  parts to clip and noise; empty = every part the client sends
     * @param noiseMode       {@link NoiseMode#SECURE} for real use; {@link NoiseMode#SEEDED} derives the noise from the
     *                        round's instruction seed and the client id
     * @throws IllegalArgumentException for a non-positive S or a negative z
     */
    public LocalDpClient(Client inner, double clipNorm, double noiseMultiplier, Set<String> protectedParts,
            NoiseMode noiseMode) {
        if (inner == null) {
            throw new IllegalArgumentException("inner client must not be null");
        }
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm S must be finite and > 0, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        this.inner = inner;
        this.clipNorm = clipNorm;
        this.noiseMultiplier = noiseMultiplier;
        this.protectedParts = Set.copyOf(protectedParts);
        this.noiseMode = noiseMode == null ? NoiseMode.SECURE : noiseMode;
    }

    @Override
    public int id() {
        return inner.id();
    }

    @Override
    public long numExamples() {
        return inner.numExamples();
    }

    @Override
    public ClientUpdate fit(ModelState global, FitInstructions instructions) {
        ClientUpdate u = inner.fit(global, instructions);
        if (u.kind() == PayloadKind.GRADIENT) {
            throw new IllegalArgumentException("local DP privatises model deltas, but client " + u.clientId()
                    + " produced a GRADIENT payload");
        }
        Set<String> chosen = protectedParts.isEmpty() ? new LinkedHashSet<>(u.parts().keySet()) : protectedParts;
        for (String p : chosen) {
            u.part(p);
        }
        Map<String, INDArray> deltas = new LinkedHashMap<>();
        List<INDArray> toProtect = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : u.parts().entrySet()) {
            INDArray d = u.kind() == PayloadKind.WEIGHTS ? e.getValue().sub(global.part(e.getKey()))
                    : e.getValue().dup();
            deltas.put(e.getKey(), d);
            if (chosen.contains(e.getKey())) {
                toProtect.add(d);
            }
        }
        L2Clip.clipInPlace(toProtect, clipNorm);
        GaussianNoise noise = noiseMode.create(Seeds.derive(instructions.seed(), "local-dp-noise", u.clientId()));
        for (INDArray d : toProtect) {
            noise.addTo(d, noiseMultiplier * clipNorm);
        }
        return u.withParts(PayloadKind.DELTA, deltas);
    }

    @Override
    public Map<String, Double> evaluate(ModelState global, EvalInstructions instructions) {
        return inner.evaluate(global, instructions);
    }
}
