/**
 * Hooks the server offers to differentially private runs: {@link org.fedgen.core.privacy.PrivateOutputs} (what a
 * private run may publish) and {@link org.fedgen.core.privacy.PrivacyGuarantee} (a mechanism that checks, when the
 * server is built, that the run's setup keeps its guarantee). The mechanisms themselves live in fedgen-privacy.
 */
package org.fedgen.core.privacy;
