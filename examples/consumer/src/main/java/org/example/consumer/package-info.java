/**
 * A separate project that uses fedgen only through its installed artifacts: a user-written aggregator
 * ({@link org.example.consumer.UniformMean}), a small synthetic dataset and a VAE trained by federated rounds.
 */
package org.example.consumer;
