/**
 * JMH micro-benchmarks of the hot paths: FedAvg over client vectors, the flat Adam step, one VAE local step, and the
 * secure Gaussian noise of DP-FedAvg. Run with {@code fedgen-bench/run jmh} (JMH options follow, e.g.
 * {@code jmh -f 1 -wi 2 -i 3 FedAvg}).
 */
package org.fedgen.bench.jmh;
