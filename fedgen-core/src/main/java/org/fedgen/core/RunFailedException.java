package org.fedgen.core;

/**
 * Thrown by {@link Server#run()} when a run cannot make progress: every sampled client failed or was rejected for the
 * configured number of consecutive rounds, or an aggregator or server step produced an unusable state. The message
 * says which round and why.
 */
public final class RunFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message which round stopped the run and why */
    public RunFailedException(String message) {
        super(message);
    }
}
