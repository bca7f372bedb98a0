/**
 * The federated-learning API and the round engine: {@link org.fedgen.core.ModelState} (named flat parts),
 * {@link org.fedgen.core.Client} and {@link org.fedgen.core.ClientUpdate}, {@link org.fedgen.core.Aggregator} and
 * {@link org.fedgen.core.PartPolicy}, and the {@link org.fedgen.core.Server} that samples clients, validates their
 * updates, aggregates them in client-id order and notifies {@link org.fedgen.core.RoundListener}s. Depends on nd4j-api
 * only; a user who writes their own model needs nothing else from fedgen.
 */
package org.fedgen.core;
