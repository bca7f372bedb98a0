package org.fedgen.privacy.secagg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A malicious client: replaces the first value of its masked update by 0.5, which is not a ring element. */
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
    public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions instructions) {
        return inner.fit(global, instructions).thenApply(u -> {
            Map<String, INDArray> p = new LinkedHashMap<>();
            u.parts().forEach((k, v) -> p.put(k, v.dup()));
            p.get("a").putScalar(0, 0.5f);
            return u.withParts(u.kind(), p);
        });
    }

    @Override
    public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions instructions) {
        return inner.evaluate(global, instructions);
    }
}
