/**
 * Manual timing probes (mains, not tests) for single models: step time of the VAE, GAN and DDPM, DDPM sampling time
 * and centralised loss curves. Run them with the bench jar on the class path, e.g.
 * {@code java -cp fedgen-bench/target/fedgen-bench.jar org.fedgen.bench.probe.GanStepTiming}.
 */
package org.fedgen.bench.probe;
