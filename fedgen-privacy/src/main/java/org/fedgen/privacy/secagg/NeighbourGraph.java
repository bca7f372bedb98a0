package org.fedgen.privacy.secagg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who masks with and holds shares for whom in one round: every pair (k = 0), or the random k-regular graph of SecAgg+
 * (a Harary graph on a random cyclic order of the clients: each client is joined to the k/2 clients before and after
 * it). The order is drawn from a seed; the graph is public.
 */
final class NeighbourGraph {
    private NeighbourGraph() {
    }

    /**
     * @param ids ids of the round's clients
     * @param k   0 for all pairs, else an even degree (all pairs if k ≥ |ids| − 1)
     * @return id → its neighbours (not itself), ascending
     */
    static Map<Integer, List<Integer>> build(List<Integer> ids, int k, long seed) {
        List<Integer> order = new ArrayList<>(new TreeSet<>(ids));
        int m = order.size();
        Map<Integer, List<Integer>> out = new TreeMap<>();
        if (k == 0 || k >= m - 1) {
            for (int i : order) {
                List<Integer> n = new ArrayList<>(order);
                n.remove(Integer.valueOf(i));
                out.put(i, List.copyOf(n));
            }
            return out;
        }
        Collections.shuffle(order, new java.util.Random(new SplittableRandom(seed).nextLong()));
        for (int p = 0; p < m; p++) {
            TreeSet<Integer> n = new TreeSet<>();
            for (int d = 1; d <= k / 2; d++) {
                n.add(order.get((p + d) % m));
                n.add(order.get((p - d + m) % m));
            }
            out.put(order.get(p), List.copyOf(n));
        }
        return out;
    }
}
