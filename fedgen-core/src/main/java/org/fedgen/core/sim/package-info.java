/**
 * The simulation engine: N virtual clients are data shards plus optional state, trained on W worker threads that each
 * own one model instance, so the clients cost O(W · model + N · shard) and the result does not depend on W. The
 * server's round adds one update per sampled client, or O(window · model) with
 * {@link org.fedgen.core.sim.Simulation.Builder#streamingWindow(int) streaming aggregation}.
 * {@link org.fedgen.core.sim.Simulation} builds a {@link org.fedgen.core.Server} over such clients.
 */
package org.fedgen.core.sim;
