package org.fedgen.core.privacy;

/**
 * An aggregator whose output carries a privacy guarantee that holds only under conditions on the rest of the run (how
 * clients are sampled, what the other aggregators see, what is published). The server calls
 * {@link #checkRun} on every such aggregator it finds through part policies and decorator chains
 * ({@link org.fedgen.core.AggregatorChain}) when it is built, so a run that would void the guarantee fails before its
 * first round rather than only if its author remembered to check.
 */
public interface PrivacyGuarantee {
    /**
     * @throws IllegalArgumentException naming what in the setup breaks the guarantee
     */
    void checkRun(PrivateRunSetup setup);
}
