/**
 * The Bernoulli VAE (parts {@code encoder} and {@code decoder}, loss BCE + β·KL) on flat ND4J parameter vectors, with
 * its preallocated buffers and hand-written forward and backward passes; optionally conditioned on labels.
 */
package org.fedgen.models.vae;
