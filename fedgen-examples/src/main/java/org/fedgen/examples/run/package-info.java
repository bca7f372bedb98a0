/**
 * The CLI's run wiring: options of each model family and topology, the recipes that turn them into model factories,
 * aggregator routing and server steps, the DP setup, and the federated run that attaches the output listeners.
 */
package org.fedgen.examples.run;
