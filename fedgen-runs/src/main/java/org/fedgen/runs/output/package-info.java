/**
 * Run outputs as {@link org.fedgen.core.RoundListener}s any run can attach: the metrics CSV, its plot, sample grids,
 * the IDX sample file. (The checkpoint is {@link org.fedgen.core.io.CheckpointListener} in core.)
 */
package org.fedgen.runs.output;
