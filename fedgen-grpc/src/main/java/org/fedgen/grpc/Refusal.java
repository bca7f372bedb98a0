package org.fedgen.grpc;

/** Why the server refused a session or a message; each refusal is logged once and counted. */
public enum Refusal {
    /** The peer speaks another protocol version, or sent messages out of order. */
    PROTOCOL,
    /** A bearer token that is missing or not the one listed for the id. */
    TOKEN,
    /** A client acting as an id it may not: outside its certificate or the population, or another client's task. */
    IDENTITY,
    /** A data split that does not match the run's (another number of examples than the split gives the id). */
    DATA,
    /** An update for a task that was not given, or for another round than its task's. */
    TASK,
    /** An update for a task that was already answered. */
    REPLAY,
    /** A message larger than the limits. */
    OVERSIZED,
    /** An update whose parts do not fit the model or whose chunks are malformed. */
    MALFORMED;

    /** The metrics column of this reason, e.g. {@code refused_token}. */
    public String column() {
        return "refused_" + name().toLowerCase(java.util.Locale.ROOT);
    }
}
