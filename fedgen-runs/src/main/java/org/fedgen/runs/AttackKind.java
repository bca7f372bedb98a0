package org.fedgen.runs;

/** Simulated attacks by a fraction of the clients; {@link #toString()} is the CLI's name. */
public enum AttackKind {
    /** No attack. */
    none,
    /** Model poisoning: the client sends −s times its honest delta. */
    sign_flip,
    /** Model poisoning: the client sends s times its honest delta. */
    scale,
    /** Model poisoning: N(0, s²) noise added to each coordinate of the delta. */
    gaussian,
    /** Data poisoning of a conditional model: the client trains on labels 9 − y. */
    label_flip,
    /** Data poisoning of a conditional model: half the client's examples become a trigger with the backdoor label. */
    backdoor;

    /** The CLI name: {@code sign_flip} is written {@code sign-flip}. */
    @Override
    public String toString() {
        return DashedNames.of(this);
    }
}
