package org.fedgen.core;

/**
 * Observes the round loop: writes metrics files, sample images and checkpoints, reports progress, or stops the run
 * (a privacy budget that the next round would exceed).
 */
public interface RoundListener {
    /**
     * Called before a round starts; returning false stops the run before that round (the listener should log why).
     */
    default boolean beforeRound(long round) {
        return true;
    }

    /** Called after each round with its result. */
    void onRoundEnd(RoundResult result);

    /** Called once when the run ends, normally or by a stop. */
    default void onRunEnd(ModelState finalState) {
    }
}
