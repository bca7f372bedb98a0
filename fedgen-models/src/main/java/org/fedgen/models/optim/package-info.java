/**
 * Optimizers that update one flat parameter vector in place (SGD, Adam) and a running weight average, used by the
 * models' local training.
 */
package org.fedgen.models.optim;
