package org.fedgen.privacy.secagg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A malicious client: drops the last value of part "a" of its masked update. */
final class TamperingProxy implements ClientProxy {
    private final ClientProxy inner;

    TamperingProxy(ClientProxy inner) {
        this.inner = inner;
    }

    @Override
    public int clientId() {
        return inner.clientId();
    }

    @Override
    public OptionalLong registeredExamples() {
        return inner.registeredExamples();
    }

    @Override
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        return inner.fit(global, instructions).thenApply(u -> {
            Map<String, INDArray> p = new LinkedHashMap<>();
            u.parts().forEach((k, v) -> p.put(k, v.dup()));
            float[] a = p.get("a").toFloatVector();
            p.put("a", org.nd4j.linalg.factory.Nd4j.createFromArray(java.util.Arrays.copyOf(a, a.length - 1)));
            return u.withParts(u.kind(), p);
        });
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        return inner.evaluate(global, instructions);
    }
}
