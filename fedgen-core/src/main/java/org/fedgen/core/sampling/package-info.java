/**
 * Which clients take part in a round: a fixed number without replacement, or Poisson sampling where each client joins
 * independently with probability q (the sampling the DP accountant assumes).
 */
package org.fedgen.core.sampling;
