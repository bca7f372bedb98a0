package org.fedgen.core.attack;

import org.fedgen.core.ClientUpdate;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;

/** Turns the update an honest client computed into the one a model-poisoning attacker sends. */
public interface UpdateAttack {
    /**
     * @param honest       the update the client computed honestly
     * @param global       the global state it trained from
     * @param instructions the round's instructions (round, seed, payload kind)
     * @return the update to send: same client, round, count, kind and parts
     */
    ClientUpdate poison(ClientUpdate honest, ModelState global, FitInstructions instructions);
}
