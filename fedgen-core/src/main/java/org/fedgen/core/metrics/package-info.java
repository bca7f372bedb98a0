/**
 * Distribution distances that need only ND4J: the unbiased kernel MMD² with a median-heuristic bandwidth and the
 * pairwise squared distances it is built on. Model-specific quality metrics live in {@code org.fedgen.models.metrics}.
 */
package org.fedgen.core.metrics;
