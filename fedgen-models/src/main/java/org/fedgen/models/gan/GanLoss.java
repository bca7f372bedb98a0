package org.fedgen.models.gan;

/** The adversarial objective of a {@link Gan}. */
public enum GanLoss {
    /**
     * Goodfellow's GAN with the non-saturating generator loss: D minimises BCE(real → 1) + BCE(fake → 0) on logits,
     * G minimises BCE(fake → 1) = mean softplus(−D(G(z))).
     */
    NON_SATURATING_BCE,
    /**
     * Wasserstein GAN with gradient penalty (Gulrajani 2017): the critic minimises mean D(fake) − mean D(real)
     * + λ · mean (‖∇ₓ D(x̂)‖₂ − 1)² at random interpolates x̂; G minimises −mean D(G(z)).
     */
    WGAN_GP
}
