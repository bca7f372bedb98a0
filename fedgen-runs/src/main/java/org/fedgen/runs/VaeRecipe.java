package org.fedgen.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.fedgen.core.Aggregator;
import org.fedgen.core.GenerativeModel;
import org.fedgen.core.ModelState;
import org.fedgen.core.aggregate.IterateAverage;
import org.fedgen.core.data.Dataset;
import org.fedgen.models.vae.Vae;
import org.fedgen.models.vae.VaeConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A VAE of {@link VaeSettings} (by default 784-400-20 Bernoulli with Adam). Under {@code --server-opt fedexp} it
 * evaluates and samples the average of the last two iterates, as FedExP's authors do (see {@link IterateAverage}).
 */
final class VaeRecipe implements ModelRecipe {
    private final VaeConfig config;
    private final Vae serverModel;
    private final SamplingAverage average = new SamplingAverage();

    VaeRecipe(VaeSettings settings) {
        this.config = settings.config();
        this.serverModel = new Vae(config);
    }

    @Override
    public Supplier<GenerativeModel> factory() {
        return () -> new Vae(config);
    }

    @Override
    public Aggregator aggregator(RunConfig o, Aggregator base) {
        return average.wrapLastTwo(base, o.serverOptimizer() == ServerOptimizerKind.fedexp && !o.centralized());
    }

    @Override
    public String generatorPart() {
        return "decoder";
    }

    @Override
    public Map<String, Double> evaluate(ModelState global, Dataset heldOut, long seed) {
        serverModel.load(average.state(global));
        Map<String, Double> m = serverModel.evaluate(heldOut, seed);
        // a fixed column order in metrics.csv (Map.of's iteration order changes from one JVM run to the next)
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : new String[] {"recon", "elbo", "kl"}) {
            out.put(key, m.get(key));
        }
        return out;
    }

    @Override
    public INDArray sample(ModelState global, int n, long seed) {
        serverModel.load(average.state(global));
        return serverModel.sample(n, seed);
    }
}
