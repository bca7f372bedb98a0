/**
 * The {@code fedgen} command line (picocli): train, eval, privacy, bench and ddpm-sample. It maps options to the library
 * and prints; no other module depends on picocli.
 */
package org.fedgen.examples.cli;
