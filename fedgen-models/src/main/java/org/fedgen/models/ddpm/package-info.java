/**
 * Denoising diffusion (DDPM, ε-prediction) as a federated model: noise schedules, training-timestep distributions,
 * MLP and U-Net denoisers, label conditioning with classifier-free guidance, and the ancestral and DDIM samplers.
 */
package org.fedgen.models.ddpm;
