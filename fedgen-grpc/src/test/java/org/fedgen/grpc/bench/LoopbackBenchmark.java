package org.fedgen.grpc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedgen.core.RoundListener;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.grpc.ClientDataFiles;
import org.fedgen.grpc.GrpcClientHost;
import org.fedgen.grpc.GrpcFederationServer;
import org.fedgen.grpc.Protocol;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.RunConfigJson;
import org.fedgen.runs.VaeSettings;

/**
 * Benchmark (not a test): round time of the default VAE job in-process versus with its clients behind loopback gRPC
 * (one client host with all ids and as many workers as the simulation), in one JVM, one after the other; and the
 * bytes on the wire per round against the model size. Rounds after the first are compared (the first warms up).
 *
 * <p>Usage: {@code LoopbackBenchmark [ROUNDS] [WORKERS]} (defaults 3 and 2).
 */
public final class LoopbackBenchmark {
    private LoopbackBenchmark() {
    }

    /** Runs both and prints the comparison. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("fedgen-loopback-bench");
        RunConfig base = RunConfig.builder().model(VaeSettings.defaults()).rounds(rounds).workers(workers)
                .qualitySamples(0).samples(0).evalEvery(1000).out(dir.resolve("sim")).build();
        List<Double> sim = new ArrayList<>();
        new FederatedRun(base, r -> sim.add(r.metric("wall_ms"))).run();

        Path split = dir.resolve("split");
        ClientSplitWriter.write(base, split);
        RunConfig dep = base.toBuilder().out(dir.resolve("grpc")).build();
        Map<String, Long> layout = Protocol.layout(FederatedRun.clientModel(dep).get().initialize(0));
        long modelBytes = layout.values().stream().mapToLong(Long::longValue).sum() * Float.BYTES;
        List<Double> grpcMs = new ArrayList<>();
        List<long[]> wire = new ArrayList<>();
        try (GrpcFederationServer grpc = GrpcFederationServer.builder().port(0).bindAddress("127.0.0.1")
                .clients(dep.clients()).runConfig(RunConfigJson.write(dep)).layout(layout).build().start()) {
            GrpcClientHost.Builder host = GrpcClientHost.builder().target("127.0.0.1:" + grpc.port())
                    .workers(workers).generatorScore(KernelMmd.medianHeuristic()::mmd2)
                    .model(json -> FederatedRun.clientModel(RunConfigJson.read(json, "server")));
            for (int k = 0; k < dep.clients(); k++) {
                host.client(k, ClientDataFiles.load(ClientSplitWriter.clientDirectory(split, k)));
            }
            GrpcClientHost h = host.build();
            Thread t = new Thread(h::run, "bench-host");
            t.setDaemon(true);
            t.start();
            long[] last = {0, 0};
            RoundListener meter = r -> {
                grpcMs.add(r.metric("wall_ms"));
                long s = grpc.counters().bytesSent();
                long rec = grpc.counters().bytesReceived();
                wire.add(new long[] {s - last[0], rec - last[1]});
                last[0] = s;
                last[1] = rec;
            };
            new FederatedRun(dep, grpc.minClients(dep.clients()), meter).deployed(grpc::proxy).run();
            grpc.finish("benchmark done");
            t.join(30_000);
        }
        double a = meanAfterFirst(sim);
        double b = meanAfterFirst(grpcMs);
        System.out.printf("model: %d parameters, %d bytes as float32%n", modelBytes / 4, modelBytes);
        System.out.printf("in-process round ms: %s -> mean after round 1: %.0f%n", sim, a);
        System.out.printf("gRPC loopback round ms: %s -> mean after round 1: %.0f%n", grpcMs, b);
        System.out.printf("ratio gRPC / in-process: %.3f%n", b / a);
        for (int i = 0; i < wire.size(); i++) {
            System.out.printf("round %d wire bytes: sent %d (%.2f x model), received %d (%.2f x model)%n", i + 1,
                    wire.get(i)[0], wire.get(i)[0] / (double) modelBytes, wire.get(i)[1],
                    wire.get(i)[1] / (double) modelBytes);
        }
    }

    private static double meanAfterFirst(List<Double> ms) {
        return ms.subList(Math.min(1, ms.size() - 1), ms.size()).stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
    }
}
