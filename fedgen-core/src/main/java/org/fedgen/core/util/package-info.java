/**
 * Small helpers shared across modules: seed derivation, so every random choice flows from one run seed, and flat-vector
 * arithmetic (norms, finiteness checks) on ND4J arrays.
 */
package org.fedgen.core.util;
