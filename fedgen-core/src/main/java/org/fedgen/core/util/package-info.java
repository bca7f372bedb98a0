/**
 * Small helpers shared across modules: seed derivation, so every random choice flows from one run seed, flat-vector
 * arithmetic (norms, finiteness checks) on ND4J arrays, and the argument checks of the configuration builders.
 */
package org.fedgen.core.util;
