package org.fedgen.privacy.secagg;

/**
 * How the server side of secure aggregation reaches one client's side: a request goes out, the reply comes back.
 * In-process for the simulation ({@link InProcessSecAggChannel}); a network transport implements the same call with the
 * same {@link SecAggMessage}s.
 */
public interface SecAggChannel {
    /**
     * Sends {@code request} to client {@code clientId} and returns its reply.
     *
     * @throws RuntimeException if the client cannot be reached or refuses; the server then treats it as dropped
     */
    SecAggMessage exchange(int clientId, SecAggMessage request);
}
