/**
 * The fedgen networks rebuilt on DJL with the PyTorch engine (libtorch), trained the way a DJL user would: autograd
 * through {@link ai.djl.training.GradientCollector} and DJL's Adam. Used only to compare step times side by side.
 */
package org.fedgen.bench.torch;
