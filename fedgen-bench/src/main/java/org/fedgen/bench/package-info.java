/**
 * The benchmark harness: one command ({@link org.fedgen.bench.BenchMain}) that measures, side by side in one run,
 * FedAvg throughput against a one-pass Java limit, the VAE / GAN / DDPM local step against the same networks on
 * libtorch, DP-FedAvg round time against FedAvg round time, round time and peak RSS against clients per round, and the
 * record-level private (DP-SGD) step against the plain step, and plots them. JMH micro-benchmarks are in {@code org.fedgen.bench.jmh}; manual timing probes in
 * {@code org.fedgen.bench.probe}.
 */
package org.fedgen.bench;
