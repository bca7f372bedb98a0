package org.fedgen.core.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.fedgen.core.util.Seeds;

/**
 * Which clients attack: round(F·N) of the N client ids, drawn without replacement by a seeded shuffle
 * (seed derived from the run seed and "attackers", so no other random stream of the run moves).
 */
public final class Attackers {
    private Attackers() {
    }

    /**
     * @param ids      the population's client ids
     * @param fraction F in [0, 1]
     * @param seed     the run seed
     * @return the attackers' ids, ascending
     */
    public static TreeSet<Integer> choose(List<Integer> ids, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("attack fraction must be in [0, 1], got " + fraction);
        }
        int count = (int) Math.round(fraction * ids.size());
        List<Integer> pool = new ArrayList<>(ids);
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, "attackers"));
        for (int i = 0; i < count; i++) {
            int j = i + rnd.nextInt(pool.size() - i);
            Integer t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return new TreeSet<>(pool.subList(0, count));
    }
}
