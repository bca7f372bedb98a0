/**
 * GANs as federated models with parts {@code generator} and {@code discriminator}: MLP networks, the non-saturating and
 * WGAN-GP losses, the server-side generator step of DP-FedAvg-GAN, and MD-GAN's server trainer and client endpoints.
 */
package org.fedgen.models.gan;
