package org.fedgen.runs;

import java.util.Objects;
import org.fedgen.models.vae.VaeConfig;

/**
 * A VAE run's model: the architecture and optimizer of {@link VaeConfig}.
 *
 * @param config the VAE configuration (default: {@code VaeConfig.builder().build()}, 784-400-20 with Adam)
 */
public record VaeSettings(VaeConfig config) implements ModelSettings {
    /** @throws NullPointerException if {@code config} is null */
    public VaeSettings {
        Objects.requireNonNull(config, "config");
    }

    /** The default 784-400-20 Bernoulli VAE with Adam. */
    public static VaeSettings defaults() {
        return new VaeSettings(VaeConfig.builder().build());
    }

    @Override
    public String family() {
        return "vae";
    }
}
