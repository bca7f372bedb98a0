/**
 * Record-level differential privacy inside local training: DP-SGD (Abadi et al. 2016) with Poisson-sampled batches,
 * per-example clipping and Gaussian noise ({@link org.fedgen.models.dpsgd.RecordDp}), the per-example gradient norms
 * of dense layers by ghost norms ({@link org.fedgen.models.dpsgd.GhostNorms}) and the batch samplers
 * ({@link org.fedgen.models.dpsgd.PoissonBatches}). The model families use it when a {@code RecordDp} is attached;
 * the privacy accounting of the steps lives with the run, which knows every client's (q_k, steps).
 */
package org.fedgen.models.dpsgd;
