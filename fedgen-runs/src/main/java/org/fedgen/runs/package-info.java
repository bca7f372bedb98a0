/**
 * The composition root: a federated run on the bundled digits (model family, GAN topology, aggregator, DP, outputs)
 * built from one immutable {@link org.fedgen.runs.RunConfig} and run by {@link org.fedgen.runs.FederatedRun}. The CLI
 * maps its options to these configurations; a Java user builds them directly.
 */
package org.fedgen.runs;
