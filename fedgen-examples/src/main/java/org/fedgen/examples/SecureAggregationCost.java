package org.fedgen.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.RoundResult;
import org.fedgen.core.Server;
import org.fedgen.core.aggregate.FedAvg;
import org.fedgen.core.util.Seeds;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecureAggregation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The cost of secure aggregation alone: rounds of a federation whose clients do no training (each returns a fixed
 * random delta at once), with and without the protocol, so the difference in wall time per round is the protocol's
 * (key exchange, masking, unmasking) on one thread; the thread's CPU time per round is printed too, as it depends
 * little on what else the machine runs.
 *
 * <p>Usage: {@code java -cp fedgen.jar org.fedgen.examples.SecureAggregationCost [clients] [params] [rounds]
 * [dropped]} (defaults 10, 652824 — the default VAE's size —, 5, 0); the first {@code dropped} clients fail after the
 * key exchange in every round.
 */
public final class SecureAggregationCost {
    private SecureAggregationCost() {
    }

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int params = args.length > 1 ? Integer.parseInt(args[1]) : 652_824;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int dropped = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        ModelState init = ModelState.of(0, Map.of("w", Nd4j.zeros(DataType.FLOAT, params)));
        for (boolean secure : new boolean[] {false, true}) {
            List<ClientProxy> proxies = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                proxies.add(new FixedDelta(k, params, k < dropped));
            }
            Server.Builder b = Server.builder().initialState(init).rounds(rounds).seed(1);
            if (secure) {
                SecureAggregation sa = SecureAggregation.of(new SecAggConfig(clients / 2 + 1, 16, 1.0, 0, 0, 0),
                        new FedAvg(), clients, Seeds.derive(1, "secagg"));
                b.aggregator(sa.aggregator());
                proxies.replaceAll(sa.clientLayer());
            } else {
                b.aggregator(new FedAvg());
            }
            Server server = b.clients(proxies).build();
            // Clients answer at once, so the whole round (masking included) runs on this thread: its CPU time is the
            // round's cost whatever else the machine runs.
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = cpu.getCurrentThreadCpuTime();
            server.run();
            double cpuMs = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e6 / rounds;
            double total = 0;
            for (RoundResult r : server.history()) {
                total += r.metric("wall_ms");
            }
            System.out.printf("%s: %d clients (%d dropping), %d parameters: %.1f ms wall, %.1f ms CPU per round over %d"
                    + " rounds%n", secure ? "secure aggregation" : "plain FedAvg", clients, dropped, params,
                    total / rounds, cpuMs, rounds);
        }
    }

    /** A client that returns the same random delta every round, or fails if it is set to drop. */
    private static final class FixedDelta implements ClientProxy {
        private final int id;
        private final float[] delta;
        private final boolean drops;

        FixedDelta(int id, int params, boolean drops) {
            this.id = id;
            this.drops = drops;
            SplittableRandom r = new SplittableRandom(id);
            delta = new float[params];
            for (int i = 0; i < params; i++) {
                delta[i] = (float) (r.nextDouble() * 0.02 - 0.01);
            }
        }

        @Override
        public int clientId() {
            return id;
        }

        @Override
        public CompletableFuture<ClientUpdate> fit(ModelState global, FitInstructions ins) {
            if (drops) {
                return CompletableFuture.failedFuture(new IllegalStateException("client " + id + " dropped"));
            }
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> p = new LinkedHashMap<>();
            p.put("w", Nd4j.createFromArray(delta.clone()));
            return CompletableFuture.completedFuture(new ClientUpdate(id, ins.round(), 100, ins.payloadKind(), p,
                    Map.of()));
        }

        @Override
        public CompletableFuture<Map<String, Double>> evaluate(ModelState global, EvalInstructions ins) {
            return CompletableFuture.completedFuture(Map.of());
        }
    }
}
