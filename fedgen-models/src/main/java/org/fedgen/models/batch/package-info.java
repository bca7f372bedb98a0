/**
 * Minibatch planning shared by the model families: fixed-size batches drawn from a shard in a seeded order.
 */
package org.fedgen.models.batch;
