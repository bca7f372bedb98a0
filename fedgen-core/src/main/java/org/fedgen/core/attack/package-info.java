/**
 * Simulated attacks, to measure what a rule withstands: model poisoning as {@link org.fedgen.core.ClientProxy}
 * wrappers that transform an honest update ({@link org.fedgen.core.attack.PoisonedClient} with
 * {@link org.fedgen.core.attack.ScaledDelta} or {@link org.fedgen.core.attack.GaussianNoise}), data poisoning as
 * transformations of an attacker's training data ({@link org.fedgen.core.attack.LabelFlip},
 * {@link org.fedgen.core.attack.Backdoor}), and a deterministic choice of attackers
 * ({@link org.fedgen.core.attack.Attackers}).
 */
package org.fedgen.core.attack;
