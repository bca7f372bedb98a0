package org.fedgen.grpc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedgen.core.metrics.KernelMmd;
import org.fedgen.models.vae.VaeConfig;
import org.fedgen.runs.AggregatorKind;
import org.fedgen.runs.ClientSplitWriter;
import org.fedgen.runs.FederatedRun;
import org.fedgen.runs.PartitionKind;
import org.fedgen.runs.RunConfig;
import org.fedgen.runs.RunConfigJson;
import org.fedgen.runs.VaeSettings;

/** Test fixtures: a tiny VAE run, its split on disk, and client hosts running in this JVM over real sockets. */
final class Deployments {
    private Deployments() {
    }

    static RunConfig tinyVae(Path out, int rounds) {
        return RunConfig.builder().model(new VaeSettings(VaeConfig.builder().hiddenDim(16).latentDim(4).build()))
                .aggregator(AggregatorKind.fedavg).clients(3).clientsPerRound(2).partition(PartitionKind.dirichlet)
                .alpha(0.5).rounds(rounds).localSteps(2).batchSize(8).workers(1).evalEvery(rounds).qualitySamples(0)
                .samples(0).seed(7).out(out).build();
    }

    /** A host of {@code ids} with the data written by {@link ClientSplitWriter} into {@code split}. */
    static GrpcClientHost.Builder host(String host, int port, Path split, int... ids) {
        GrpcClientHost.Builder b = GrpcClientHost.builder().target(host + ":" + port)
                .model(json -> FederatedRun.clientModel(RunConfigJson.read(json, "test server")))
                .generatorScore(KernelMmd.medianHeuristic()::mmd2)
                .backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(400))
                .giveUpAfter(java.time.Duration.ofSeconds(20));
        for (int id : ids) {
            b.client(id, ClientDataFiles.load(ClientSplitWriter.clientDirectory(split, id)));
        }
        return b;
    }

    /** Runs hosts on their own threads; the futures complete when they return (or fail with their error). */
    static List<CompletableFuture<Void>> start(ExecutorService threads, List<GrpcClientHost> hosts) {
        List<CompletableFuture<Void>> f = new ArrayList<>();
        for (GrpcClientHost h : hosts) {
            f.add(CompletableFuture.runAsync(h::run, threads));
        }
        return f;
    }

    static ExecutorService threads() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-host");
            t.setDaemon(true);
            return t;
        });
    }

    static GrpcFederationServer.Builder server(RunConfig cfg) {
        return GrpcFederationServer.builder().port(0).bindAddress("127.0.0.1").clients(cfg.clients())
                .runConfig(RunConfigJson.write(cfg))
                .layout(Protocol.layout(FederatedRun.clientModel(cfg).get().initialize(0)));
    }
}
