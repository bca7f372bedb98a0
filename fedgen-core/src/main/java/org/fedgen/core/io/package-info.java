/**
 * Durable files of a training run: checkpoints ({@link org.fedgen.core.io.CheckpointFile}) and the metrics table
 * ({@link org.fedgen.core.io.MetricsCsv}), both written atomically through {@link org.fedgen.core.io.AtomicFiles}.
 */
package org.fedgen.core.io;
