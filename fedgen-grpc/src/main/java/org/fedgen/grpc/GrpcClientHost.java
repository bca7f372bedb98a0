package org.fedgen.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.GeneratorScore;
import org.fedgen.core.ModelState;
import org.fedgen.core.TrainableModel;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.sim.LocalTraining;
import org.fedgen.core.sim.WorkerPool;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.EvalResult;
import org.fedgen.grpc.proto.FederationGrpc;
import org.fedgen.grpc.proto.Hello;
import org.fedgen.grpc.proto.HostedClient;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.grpc.proto.Task;
import org.fedgen.grpc.proto.TaskFailed;
import org.fedgen.grpc.proto.UpdateEnd;
import org.fedgen.grpc.proto.UpdateStart;
import org.fedgen.grpc.proto.Welcome;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a deployed federation: dials the server, registers one or many client ids with their data, builds
 * the model from the run configuration the server sends, and runs each task exactly as the simulation runs it (the
 * same {@link LocalTraining} as its virtual clients, on W worker threads with one model each; each client keeps its
 * own parts between rounds and sessions), until the server says the run is over. While the server cannot be reached
 * the host retries with exponential backoff.
 */
public final class GrpcClientHost {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcClientHost.class);

    private final Builder b;
    private final Map<Integer, LocalClient> clients = new TreeMap<>();
    private String runConfig;
    private Map<String, Long> layout;
    private WorkerPool<TrainableModel> pool;

    private final HostedSecAggClients secagg;

    private GrpcClientHost(Builder b) {
        this.b = b;
        this.secagg = new HostedSecAggClients(b.data.keySet(), b.requireSecureAggregation);
    }

    /** A builder; the target, at least one client and the model factory are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The data of one hosted client: its training examples and held-out examples (or null). */
    public record ClientData(Dataset train, Dataset eval) {
        /** @throws IllegalArgumentException if there are no training examples */
        public ClientData {
            Objects.requireNonNull(train, "train");
            if (train.size() == 0) {
                throw new IllegalArgumentException("a client needs at least one training example");
            }
        }
    }

    /**
     * Takes part in the run until the server says it is over.
     *
     * @throws IllegalStateException if the server refuses this host (its reason is the message), the model does not
     *                               fit the server's, or the server cannot be reached for longer than
     *                               {@link Builder#giveUpAfter}
     */
    public void run() {
        Duration delay = b.initialBackoff;
        long failingSince = System.nanoTime();
        try {
            while (true) {
                End end = connectOnce();
                switch (end.kind) {
                    case COMPLETE -> {
                        LOG.info("clients {}: {}", ranges(), end.reason);
                        return;
                    }
                    case FATAL -> throw new IllegalStateException(end.reason);
                    default -> {
                        if (end.welcomed) {
                            delay = b.initialBackoff;
                            failingSince = System.nanoTime();
                        }
                        if (System.nanoTime() - failingSince > b.giveUpAfter.toNanos()) {
                            throw new IllegalStateException("cannot reach the server at " + b.target + " for "
                                    + b.giveUpAfter.toSeconds() + " s: " + end.reason);
                        }
                        LOG.warn("clients {}: {}; retrying in {} ms", ranges(), end.reason, delay.toMillis());
                        Thread.sleep(delay.toMillis());
                        delay = delay.multipliedBy(2).compareTo(b.maxBackoff) > 0 ? b.maxBackoff
                                : delay.multipliedBy(2);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    private String ranges() {
        return GrpcFederationServer.ranges(b.data.keySet());
    }

    private enum Kind { COMPLETE, FATAL, LOST }

    private record End(Kind kind, String reason, boolean welcomed) {
    }

    private End connectOnce() throws InterruptedException {
        ChannelCredentials creds;
        try {
            creds = credentials();
        } catch (IOException e) {
            return new End(Kind.FATAL, "cannot read the TLS files: " + e.getMessage(), false);
        }
        ManagedChannel channel = Grpc.newChannelBuilder(b.target, creds)
                .maxInboundMessageSize(Protocol.DEFAULT_MAX_CHUNK_BYTES * 64 + (1 << 20))
                .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true).build();
        Connection c = new Connection();
        try {
            FederationGrpc.newStub(channel).session(c);
            c.hello();
            return c.ended.get();
        } catch (ExecutionException e) {
            return new End(Kind.LOST, String.valueOf(e.getCause()), c.welcomed);
        } finally {
            c.sender.shutdownNow();
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private ChannelCredentials credentials() throws IOException {
        if (b.trustCa == null && b.cert == null) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder t = TlsChannelCredentials.newBuilder();
        if (b.trustCa != null) {
            t.trustManager(b.trustCa.toFile());
        }
        if (b.cert != null) {
            t.keyManager(b.cert.toFile(), b.key.toFile());
        }
        return t.build();
    }

    /** Builds the model and the clients from the server's configuration (once; a later session must agree). */
    private synchronized String configure(Welcome w) {
        if (w.getProtocolVersion() != Protocol.VERSION) {
            return "the server speaks protocol version " + w.getProtocolVersion() + ", this client "
                    + Protocol.VERSION;
        }
        Map<String, Long> serverLayout = Protocol.layout(w.getLayoutList());
        if (runConfig != null) {
            if (!runConfig.equals(w.getRunConfig()) || !layout.equals(serverLayout)) {
                return "the server now runs another configuration than the one these clients joined";
            }
            return null;
        }
        Supplier<? extends TrainableModel> factory;
        try {
            factory = b.model.apply(w.getRunConfig());
        } catch (RuntimeException e) {
            return "cannot build the model of the server's run configuration: " + e.getMessage();
        }
        Map<String, Long> mine = Protocol.layout(factory.get().initialize(0));
        if (!serverLayout.isEmpty() && !mine.equals(serverLayout)) {
            return "model layout mismatch: the server's model has " + Protocol.describe(serverLayout)
                    + ", this client's " + Protocol.describe(mine);
        }
        pool = new WorkerPool<>(b.workers, factory);
        Set<String> localOnly = Set.copyOf(w.getLocalOnlyPartsList());
        b.data.forEach((id, d) -> clients.put(id, new LocalClient(id, d.train(), d.eval(), pool, b.score,
                localOnly)));
        runConfig = w.getRunConfig();
        layout = mine;
        return null;
    }

    /** One session: inbound messages on the transport's thread, outbound on {@link #sender}. */
    private final class Connection implements ClientResponseObserver<ClientMessage, ServerMessage> {
        final CompletableFuture<End> ended = new CompletableFuture<>();
        final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fedgen-grpc-client-send");
            t.setDaemon(true);
            return t;
        });
        private final Map<Long, ModelState> models = new LinkedHashMap<>();
        private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
        private FlowControlledSender<ClientMessage> out;
        private volatile boolean welcomed;
        private int maxChunkBytes = Protocol.DEFAULT_MAX_CHUNK_BYTES;
        private PartReceiver model;
        private long modelVersion;
        private long modelRound;

        @Override
        public void beforeStart(ClientCallStreamObserver<ClientMessage> call) {
            out = new FlowControlledSender<>(call);
            call.setOnReadyHandler(out::onReady);
        }

        /** Queues the Hello; only once the call has started (before it, the stream cannot say it is ready). */
        void hello() {
            Hello.Builder h = Hello.newBuilder().setProtocolVersion(Protocol.VERSION).addFeatures(SecAggWire.FEATURE);
            b.data.forEach((id, d) -> h.addClients(HostedClient.newBuilder().setId(id)
                    .setNumExamples(d.train().size()).setToken(b.token)));
            later(() -> out.send(ClientMessage.newBuilder().setHello(h).build()));
        }

        private void later(Runnable r) {
            try {
                sender.execute(() -> {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        end(Kind.LOST, "cannot send: " + e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the session is over
            }
        }

        private void end(Kind kind, String reason) {
            if (ended.complete(new End(kind, reason, welcomed))) {
                out.complete();
            }
        }

        @Override
        public void onNext(ServerMessage m) {
            try {
                handle(m);
            } catch (RuntimeException e) {
                // Thrown into gRPC it would cancel the call with only "Failed to read message": say what failed.
                LOG.warn("clients {}: cannot handle the server's {} message", ranges(), m.getBodyCase(), e);
                end(Kind.LOST, "cannot handle the server's " + m.getBodyCase() + " message: " + e);
            }
        }

        private void handle(ServerMessage m) {
            if (!welcomed && m.getBodyCase() != ServerMessage.BodyCase.WELCOME
                    && m.getBodyCase() != ServerMessage.BodyCase.REFUSAL
                    && m.getBodyCase() != ServerMessage.BodyCase.SHUTDOWN) {
                end(Kind.LOST, "the server sent a " + m.getBodyCase() + " message before its Welcome");
                return;
            }
            switch (m.getBodyCase()) {
                case WELCOME -> {
                    String why = configure(m.getWelcome());
                    if (why != null) {
                        end(Kind.FATAL, why);
                        return;
                    }
                    maxChunkBytes = m.getWelcome().getMaxChunkBytes();
                    welcomed = true;
                    LOG.info("clients {}: joined the run at {}", ranges(), b.target);
                }
                case MODEL_START -> {
                    Map<String, Long> l = Protocol.layout(m.getModelStart().getPartsList());
                    if (!l.equals(layout)) {
                        end(Kind.FATAL, "model layout mismatch: the server sent " + Protocol.describe(l)
                                + ", this client's model has " + Protocol.describe(layout));
                        return;
                    }
                    model = new PartReceiver(l, Math.max(maxChunkBytes, Protocol.DEFAULT_MAX_CHUNK_BYTES) * 64);
                    modelVersion = m.getModelStart().getVersion();
                    modelRound = m.getModelStart().getRound();
                }
                case CHUNK -> {
                    String why = model == null || m.getChunk().getId() != modelVersion ? "a chunk outside a model"
                            : model.accept(m.getChunk());
                    if (why != null) {
                        end(Kind.LOST, "the server sent a bad model: " + why);
                    }
                }
                case MODEL_END -> {
                    String why = model == null ? "no model started" : model.missing();
                    if (why != null) {
                        end(Kind.LOST, "the server sent an incomplete model: " + why);
                        return;
                    }
                    models.put(modelVersion, ModelState.of(modelRound, model.parts()));
                    model = null;
                    // A timed-out task may still train on the previous state; older ones are not needed.
                    while (models.size() > 2) {
                        models.remove(models.keySet().iterator().next());
                    }
                }
                case TASK -> task(m.getTask());
                case SECAGG_REQUEST -> {
                    ClientMessage a = ClientMessage.newBuilder().setSecaggReply(secagg.answer(m.getSecaggRequest()))
                            .build();
                    later(() -> out.send(a));
                }
                case CANCEL -> cancelled.add(m.getCancel().getTaskId());
                case REFUSAL -> end(Kind.FATAL, "the server refused these clients: " + m.getRefusal().getReason());
                case SHUTDOWN -> end(m.getShutdown().getRunComplete() ? Kind.COMPLETE : Kind.LOST,
                        "the server says: " + m.getShutdown().getReason());
                default -> end(Kind.LOST, "an unknown message from the server");
            }
        }

        private void task(Task t) {
            long id = t.getTaskId();
            int clientId = t.getClientId();
            LocalClient client = clients.get(clientId);
            ModelState global = models.get(t.getModelVersion());
            if (client == null || global == null) {
                failed(id, clientId, client == null ? "client " + clientId + " is not hosted here"
                        : "model version " + t.getModelVersion() + " was not received");
                return;
            }
            if (t.hasFit()) {
                FitInstructions ins;
                try {
                    ins = Protocol.core(t.getFit());
                } catch (IllegalArgumentException e) {
                    failed(id, clientId, "bad instructions: " + e.getMessage());
                    return;
                }
                CompletableFuture<ClientUpdate> f = client.fit(global, ins);
                f.thenApply(u -> secagg.outgoing(u, global, ins)).whenComplete((u, e) -> later(() -> {
                    if (e != null) {
                        failed(id, clientId, String.valueOf(e.getCause() == null ? e : e.getCause()));
                    } else if (!cancelled.remove(id) && client.claim(f)) {
                        sendUpdate(id, u);
                    }
                }));
            } else {
                EvalInstructions ins = new EvalInstructions(t.getEvaluate().getRound(), t.getEvaluate().getSeed());
                client.evaluate(global, ins, Set.copyOf(t.getEvaluate().getOwnPartsList())).whenComplete((r, e) -> later(() -> {
                    if (e != null) {
                        failed(id, clientId, String.valueOf(e.getCause() == null ? e : e.getCause()));
                    } else if (!cancelled.remove(id)) {
                        out.send(ClientMessage.newBuilder().setEvalResult(EvalResult.newBuilder().setTaskId(id)
                                .setClientId(clientId).putAllMetrics(r).addAllMetricOrder(r.keySet())).build());
                    }
                }));
            }
        }

        private void failed(long id, int clientId, String reason) {
            LOG.warn("client {}: task {} failed: {}", clientId, id, reason);
            later(() -> out.send(ClientMessage.newBuilder().setTaskFailed(TaskFailed.newBuilder().setTaskId(id)
                    .setClientId(clientId).setReason(reason)).build()));
        }

        /** Streams an update (on the sender thread) and frees its payload. */
        private void sendUpdate(long id, ClientUpdate u) {
            UpdateStart.Builder h = UpdateStart.newBuilder().setTaskId(id).setClientId(u.clientId())
                    .setRound(u.round()).setNumExamples(u.numExamples()).setKind(Protocol.wire(u.kind()))
                    .addAllParts(Protocol.headers(Protocol.layout(ModelState.of(u.round(), u.parts()))))
                    .putAllMetrics(u.metrics()).addAllMetricOrder(u.metrics().keySet());
            out.send(ClientMessage.newBuilder().setUpdateStart(h).build());
            int part = 0;
            for (INDArray v : u.parts().values()) {
                PartChunks.send(id, part++, v, maxChunkBytes, c -> out.send(ClientMessage.newBuilder().setChunk(c)
                        .build()));
            }
            out.send(ClientMessage.newBuilder().setUpdateEnd(UpdateEnd.newBuilder().setTaskId(id)).build());
            for (INDArray v : u.parts().values()) {
                if (v.closeable() && !v.wasClosed()) {
                    v.close();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            out.closed();
            io.grpc.Status s = io.grpc.Status.fromThrowable(t);
            end(Kind.LOST, "connection lost: " + Protocol.describe(s)
                    + (s.getCause() == null ? "" : " (" + s.getCause() + ")"));
        }

        @Override
        public void onCompleted() {
            end(Kind.LOST, "the server closed the session");
        }
    }

    /** Builder of a {@link GrpcClientHost}. */
    public static final class Builder {
        private String target;
        private final Map<Integer, ClientData> data = new TreeMap<>();
        private String token = "";
        private Path trustCa;
        private Path cert;
        private Path key;
        private int workers = 1;
        private Function<String, Supplier<? extends TrainableModel>> model;
        private GeneratorScore score;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration giveUpAfter = Duration.ofMinutes(5);
        private boolean requireSecureAggregation;

        private Builder() {
        }

        /**
         * Whether every update must leave this host masked by secure aggregation (default false: the host masks
         * whenever the server runs secure aggregation, and sends plain updates otherwise). When true, a task that
         * asks for a plain update fails without anything being sent.
         */
        public Builder requireSecureAggregation(boolean v) {
            requireSecureAggregation = v;
            return this;
        }

        /** The server, {@code host:port}. */
        public Builder target(String v) {
            if (v == null || !v.matches(".+:\\d{1,5}")) {
                throw new IllegalArgumentException("server must be HOST:PORT, got '" + v + "'");
            }
            target = v;
            return this;
        }

        /** Hosts client {@code id} with its data. */
        public Builder client(int id, ClientData d) {
            if (id < 0) {
                throw new IllegalArgumentException("client id must be >= 0, got " + id);
            }
            data.put(id, Objects.requireNonNull(d, "data"));
            return this;
        }

        /** The bearer token presented for every hosted id (default: none). */
        public Builder token(String v) {
            token = Objects.requireNonNull(v, "token");
            return this;
        }

        /** TLS, trusting the server certificate signed by this PEM CA (or the self-signed certificate itself). */
        public Builder trustCa(Path v) {
            trustCa = Objects.requireNonNull(v, "trustCa");
            return this;
        }

        /** Mutual TLS: this host's PEM certificate chain and PKCS#8 PEM key. */
        public Builder clientCertificate(Path certChain, Path privateKey) {
            cert = Objects.requireNonNull(certChain, "certChain");
            key = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** Worker threads, each with one model (default 1); results do not depend on it. */
        public Builder workers(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + v);
            }
            workers = v;
            return this;
        }

        /** The model factory of a run configuration (the text the server sends). */
        public Builder model(Function<String, Supplier<? extends TrainableModel>> v) {
            model = Objects.requireNonNull(v, "model");
            return this;
        }

        /** How clients score their generator when the MMD aggregator asks (default none). */
        public Builder generatorScore(GeneratorScore v) {
            score = v;
            return this;
        }

        /** Reconnection backoff: first delay, doubled up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
            }
            initialBackoff = initial;
            maxBackoff = max;
            return this;
        }

        /** Stop with an error after the server has been unreachable this long (default 5 minutes). */
        public Builder giveUpAfter(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("give-up time must be >= 0, got " + v);
            }
            giveUpAfter = v;
            return this;
        }

        /** @throws IllegalArgumentException if the target, the clients or the model factory is missing */
        public GrpcClientHost build() {
            if (target == null) {
                throw new IllegalArgumentException("the server address is required");
            }
            if (data.isEmpty()) {
                throw new IllegalArgumentException("at least one client is required");
            }
            if (model == null) {
                throw new IllegalArgumentException("a model factory is required");
            }
            if (cert != null && trustCa == null) {
                throw new IllegalArgumentException("a client certificate needs TLS: give the server's CA too");
            }
            return new GrpcClientHost(this);
        }
    }
}
