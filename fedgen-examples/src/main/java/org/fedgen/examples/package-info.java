/**
 * Example mains that use the library API directly (an embedded VAE run, local DP, a custom aggregator) and the tool
 * that trains the shipped digits classifier.
 */
package org.fedgen.examples;
