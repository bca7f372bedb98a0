package org.fedgen.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedgen.core.ClientProxy;
import org.fedgen.core.RoundListener;
import org.fedgen.core.RoundResult;
import org.fedgen.grpc.proto.FederationGrpc;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.grpc.proto.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of a deployed federation: listens for client hosts, authenticates them (mutual TLS with the ids in
 * the certificate, or bearer tokens), and gives the round loop one {@link RemoteClientProxy} per client id
 * ({@link #proxy(ClientProxy)}). Clients dial out to it; it never connects to a client.
 *
 * <pre>{@code
 * try (GrpcFederationServer grpc = GrpcFederationServer.builder().port(7070).clients(10)
 *         .tls(cert, key).tokens(ClientTokens.read(file)).runConfig(json).layout(layout).build().start()) {
 *     ... build the Server with grpc::proxy as its clients, add grpc.minClients(10) as a listener, run it ...
 *     grpc.finish("run complete");
 * }
 * }</pre>
 */
public final class GrpcFederationServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcFederationServer.class);
    static final Context.Key<String> PEER = Context.key("fedgen-peer");
    static final Context.Key<Set<Integer>> CERTIFIED = Context.key("fedgen-certified-ids");

    private final Builder b;
    private final TransportCounters counters = new TransportCounters();
    private final Map<Integer, ServerSession> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1);
    /** Tasks of lost sessions waiting for their client to reconnect, by client id (guarded by {@link #byId}). */
    private final Map<Integer, List<ServerSession.Pending>> orphans = new java.util.HashMap<>();
    /** Every client id that has had a session (guarded by {@link #byId}). */
    private final Set<Integer> everConnected = new TreeSet<>();
    /** Ids whose session was sent the end of the run (guarded by {@link #byId}). */
    private final Set<Integer> toldComplete = new TreeSet<>();
    /** Why the run ended, once {@link #finish} has been called (guarded by {@link #byId}). */
    private String completed;
    /** The size the run's split gives each client id, where known. */
    private final Map<Integer, OptionalLong> splitSizes = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService timer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fedgen-grpc-reconnect-timer");
                t.setDaemon(true);
                return t;
            });
    private io.grpc.Server server;

    private GrpcFederationServer(Builder b) {
        this.b = b;
    }

    /** A builder; the port and the population ({@link Builder#clients(int)}) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts accepting client hosts.
     *
     * @throws UncheckedIOException if the port cannot be bound or a certificate file cannot be read, naming it
     */
    public GrpcFederationServer start() {
        ServerCredentials creds;
        try {
            creds = credentials();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
        SocketAddress addr = new InetSocketAddress(b.bindAddress, b.port);
        FederationService service = new FederationService();
        server = NettyServerBuilder.forAddress(addr, creds)
                .addService(ServerInterceptors.intercept(service, new PeerInterceptor()))
                .maxInboundMessageSize(b.maxChunkBytes + (1 << 20))
                .permitKeepAliveTime(5, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + b.bindAddress + ":" + b.port + ": "
                    + e.getMessage(), e);
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(b.bindAddress).isLoopbackAddress();
        } catch (IOException e) {
            loopback = false;
        }
        if (b.certChain == null && !loopback) {
            LOG.warn("*** PLAINTEXT server on {}:{} — model updates and tokens cross the network unencrypted; "
                    + "give a TLS certificate and key to encrypt them ***", b.bindAddress, port());
        }
        if (b.clientCa == null && b.tokens == null) {
            LOG.warn("no client authentication (no client CA, no token file): any host may act as any client id");
        }
        LOG.info("federation server on {}:{} ({}{}), {} clients, protocol {}", b.bindAddress, port(),
                b.certChain == null ? "plaintext" : "TLS", b.clientCa == null ? "" : ", client certificates required",
                b.clients, Protocol.VERSION);
        return this;
    }

    private ServerCredentials credentials() throws IOException {
        if (b.certChain == null) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder t = TlsServerCredentials.newBuilder()
                .keyManager(b.certChain.toFile(), b.privateKey.toFile());
        if (b.clientCa != null) {
            t.trustManager(b.clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return t.build();
    }

    /** The port listened on (the bound one when 0 was asked for). */
    public int port() {
        return server.getPort();
    }

    /** Refusals, sessions and wire bytes so far. */
    public TransportCounters counters() {
        return counters;
    }

    /**
     * The remote proxy for {@code simulated}'s id, which registers the size the split gives it: a client host must
     * register the same size, and its updates' claims are capped at it. Fits a {@code ClientTransport}.
     */
    public ClientProxy proxy(ClientProxy simulated) {
        splitSizes.put(simulated.clientId(), simulated.registeredExamples());
        Set<String> own = simulated instanceof org.fedgen.core.sim.VirtualClient v ? v.localOnlyParts() : Set.of();
        return new RemoteClientProxy(this, simulated.clientId(), simulated.registeredExamples(), own);
    }

    /** The proxy of client {@code id}, whose size is unknown to the server. */
    public ClientProxy proxy(int id) {
        return new RemoteClientProxy(this, id, OptionalLong.empty(), Set.of());
    }

    /**
     * The channel secure aggregation's server side reaches the remote clients through ({@code ClientTransport}'s
     * hook): each request goes to the session hosting the client id, with {@code config} the public parameters the
     * clients must use; an exchange not answered within {@code timeout} counts the client as dropped.
     */
    public GrpcSecAggChannel secureAggregation(org.fedgen.privacy.secagg.SecAggConfig config, Duration timeout) {
        return new GrpcSecAggChannel(this, config, timeout);
    }

    /** The number of client ids connected now. */
    public int connectedClients() {
        return byId.size();
    }

    /**
     * Waits until at least {@code m} client ids are connected.
     *
     * @return whether they were, before {@code timeout}
     */
    public boolean awaitClients(int m, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (byId) {
            while (byId.size() < m) {
                long now = System.nanoTime();
                if (now >= end) {
                    return false;
                }
                if (now >= nextLog) {
                    LOG.info("waiting for clients: {} of {} connected", byId.size(), m);
                    nextLog = now + TimeUnit.SECONDS.toNanos(10);
                }
                try {
                    byId.wait(Math.max(1, Math.min(1000, (end - now) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A listener that starts a round only once at least {@code m} client ids are connected (a client that is not
     * connected when the round starts fails its task and is left out of that round).
     */
    public RoundListener minClients(int m) {
        if (m < 0 || m > b.clients) {
            throw new IllegalArgumentException("min clients must be in [0, " + b.clients + "], got " + m);
        }
        return new RoundListener() {
            @Override
            public boolean beforeRound(long round) {
                if (byId.size() < m) {
                    LOG.info("round {}: waiting for at least {} clients ({} connected)", round, m, byId.size());
                }
                while (!awaitClients(m, Duration.ofHours(1))) {
                    if (Thread.currentThread().isInterrupted()) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void onRoundEnd(RoundResult result) {
            }
        };
    }

    /**
     * Tells every connected host that the run is over (so they exit 0) and stops listening. A host that is
     * disconnected at that moment (its connection cut near the end of the run) is told when it reconnects: the
     * server goes on listening, for up to the reconnect grace, until every client id that ever had a session has
     * been sent the end of the run.
     */
    public void finish(String reason) {
        Objects.requireNonNull(reason, "reason");
        List<ServerSession> sessions;
        synchronized (byId) {
            completed = reason;
            sessions = distinctSessions();
            toldComplete.addAll(byId.keySet());
        }
        for (ServerSession s : sessions) {
            s.shutdown(reason, true);
        }
        awaitEveryHostTold();
        stop();
    }

    /** Whether {@link #finish} has been called: a host that says Hello from now on is told the run is over. */
    boolean runEnded() {
        synchronized (byId) {
            return completed != null;
        }
    }

    private void awaitEveryHostTold() {
        long deadline = System.nanoTime() + b.reconnectGrace.toNanos();
        synchronized (byId) {
            Set<Integer> missing = missingAcknowledgements();
            if (!missing.isEmpty() && !b.reconnectGrace.isZero()) {
                LOG.info("waiting up to {} s for clients {} to reconnect and hear that the run is over",
                        b.reconnectGrace.toMillis() / 1000.0, ranges(missing));
            }
            long left;
            while (!missingAcknowledgements().isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(byId, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            missing = missingAcknowledgements();
            if (!missing.isEmpty() && !b.reconnectGrace.isZero()) {
                LOG.warn("clients {} did not reconnect within {} s to hear that the run is over; they will retry"
                        + " until they give up", ranges(missing), b.reconnectGrace.toMillis() / 1000.0);
            }
        }
    }

    private Set<Integer> missingAcknowledgements() {
        Set<Integer> missing = new TreeSet<>(everConnected);
        missing.removeAll(toldComplete);
        return missing;
    }

    private List<ServerSession> distinctSessions() {
        Set<ServerSession> sessions = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        sessions.addAll(byId.values());
        return List.copyOf(sessions);
    }

    @Override
    public void close() {
        if (server != null && !server.isShutdown()) {
            stopSessions("the server is stopping", false);
            stop();
        }
    }

    private void stopSessions(String reason, boolean complete) {
        List<ServerSession> sessions;
        synchronized (byId) {
            sessions = distinctSessions();
        }
        for (ServerSession s : sessions) {
            s.shutdown(reason, complete);
        }
    }

    private void stop() {
        timer.shutdownNow();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }

    // ---- for sessions ----

    ServerSession session(int id) {
        return byId.get(id);
    }

    long nextTaskId() {
        return ids.getAndIncrement();
    }

    int maxChunkBytes() {
        return b.maxChunkBytes;
    }

    OptionalLong splitSize(int id) {
        return splitSizes.getOrDefault(id, OptionalLong.empty());
    }

    /**
     * A task whose session {@code from} died before it was answered: offered at once to the client's live session if
     * it already has a new one, else held until it reconnects, and failed if it does not within the reconnect grace
     * (a round deadline, which cancels the task, ends the wait sooner).
     */
    void orphan(ServerSession from, ServerSession.Pending task, String why) {
        if (task.future().isDone()) {
            return;
        }
        int id = task.clientId();
        ServerSession live;
        synchronized (byId) {
            live = byId.get(id);
            if (live == null || live == from) {
                if (b.reconnectGrace.isZero()) {
                    live = null;
                } else {
                    try {
                        timer.schedule(() -> expire(task, why), b.reconnectGrace.toMillis(), TimeUnit.MILLISECONDS);
                        orphans.computeIfAbsent(id, k -> new ArrayList<>()).add(task);
                        return;
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        live = null; // the server is stopping
                    }
                }
            }
        }
        if (live == null) {
            task.future().completeExceptionally(new IllegalStateException(why));
        } else {
            live.reoffer(task);
        }
    }

    private void expire(ServerSession.Pending task, String why) {
        boolean waiting;
        synchronized (byId) {
            List<ServerSession.Pending> l = orphans.get(task.clientId());
            waiting = l != null && l.remove(task);
            if (l != null && l.isEmpty()) {
                orphans.remove(task.clientId());
            }
        }
        if (waiting && !task.future().isDone()) {
            task.future().completeExceptionally(new IllegalStateException(why + "; it did not reconnect within "
                    + b.reconnectGrace.toMillis() / 1000.0 + " s"));
        }
    }

    /** Whether the run uses secure aggregation, so a host must run its client side. */
    boolean secureAggregation() {
        return b.secureAggregation;
    }

    int population() {
        return b.clients;
    }

    Welcome welcome() {
        return Welcome.newBuilder().setProtocolVersion(Protocol.VERSION).setRunConfig(b.runConfig)
                .addAllLayout(Protocol.headers(b.layout)).setMaxChunkBytes(b.maxChunkBytes)
                .addAllLocalOnlyParts(b.localOnly).build();
    }

    /** Why a host may not act as client {@code id} ("kind: reason"), or null. */
    String admissionProblem(int id, long numExamples, String token, Set<Integer> certified) {
        if (id < 0 || id >= b.clients) {
            return "identity: client id " + id + " is not in this run's population 0-" + (b.clients - 1);
        }
        if (certified != null && !certified.contains(id)) {
            return "identity: the host's certificate allows clients " + ranges(certified) + ", not client " + id;
        }
        if (b.tokens != null && !b.tokens.accepts(id, token)) {
            return "token: " + (token.isEmpty() ? "no token" : "a wrong token") + " for client " + id;
        }
        if (numExamples < 1) {
            return "data: client " + id + " registers " + numExamples + " training examples";
        }
        return null;
    }

    void register(ServerSession s) {
        List<ServerSession> replaced = new ArrayList<>();
        List<ServerSession.Pending> waiting = new ArrayList<>();
        String ended;
        synchronized (byId) {
            ended = completed;
            if (ended == null) {
                registerLocked(s, replaced, waiting);
            } else {
                // a host that reconnects after the run ended (its connection was cut near the end) hears it now
                s.shutdown(ended, true);
                toldComplete.addAll(s.ids());
                byId.notifyAll();
            }
        }
        if (ended != null) {
            LOG.info("{}: clients {} reconnected after the run ended and were told so", s.peer(), ranges(s.ids()));
            return;
        }
        for (ServerSession.Pending task : waiting) {
            if (!task.future().isDone()) {
                s.reoffer(task);
            }
        }
        for (ServerSession old : replaced) {
            // A host that reconnects before its dead connection was noticed: the new session wins.
            old.close("replaced by a new session from " + s.peer());
        }
        counters.sessionOpened();
    }

    private void registerLocked(ServerSession s, List<ServerSession> replaced, List<ServerSession.Pending> waiting) {
        everConnected.addAll(s.ids());
        for (int id : s.ids()) {
            ServerSession old = byId.put(id, s);
            if (old != null && old != s) {
                replaced.add(old);
            }
            List<ServerSession.Pending> l = orphans.remove(id);
            if (l != null) {
                waiting.addAll(l);
            }
        }
        byId.notifyAll();
    }


    void unregister(ServerSession s) {
        synchronized (byId) {
            for (int id : s.ids()) {
                byId.remove(id, s);
            }
            byId.notifyAll();
        }
    }

    /** "0-4, 7" for a set of ids. */
    static String ranges(Set<Integer> ids) {
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(ids));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            int start = sorted.get(i);
            while (i + 1 < sorted.size() && sorted.get(i + 1) == sorted.get(i) + 1) {
                i++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(start)
                    .append(start == sorted.get(i) ? "" : "-" + sorted.get(i));
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /**
     * The client ids a certificate's subject CN allows: {@code client-K} for K, {@code clients-A-B} for A..B;
     * anything else allows none.
     */
    static Set<Integer> certifiedIds(X509Certificate cert) {
        String cn = null;
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(cert.getSubjectX500Principal()
                    .getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return Set.of();
        }
        if (cn == null) {
            return Set.of();
        }
        java.util.regex.Matcher one = java.util.regex.Pattern.compile("client-(\\d{1,9})").matcher(cn);
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("clients-(\\d{1,9})-(\\d{1,9})").matcher(cn);
        if (one.matches()) {
            return Set.of(Integer.parseInt(one.group(1)));
        }
        if (range.matches()) {
            int lo = Integer.parseInt(range.group(1));
            int hi = Integer.parseInt(range.group(2));
            Set<Integer> s = new TreeSet<>();
            for (int i = lo; i <= hi && i - lo < 1_000_000; i++) {
                s.add(i);
            }
            return s;
        }
        return Set.of();
    }

    /** Binds each call's peer address and, under mutual TLS, the ids its certificate allows. */
    private final class PeerInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            Set<Integer> certified = null;
            if (b.clientCa != null) {
                certified = Set.of();
                SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                if (ssl != null) {
                    try {
                        Certificate[] chain = ssl.getPeerCertificates();
                        if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                            certified = certifiedIds(x);
                        }
                    } catch (SSLPeerUnverifiedException e) {
                        certified = Set.of();
                    }
                }
            }
            Context ctx = Context.current().withValue(PEER, String.valueOf(remote)).withValue(CERTIFIED, certified);
            return Contexts.interceptCall(ctx, call, headers, next);
        }
    }

    private final class FederationService extends FederationGrpc.FederationImplBase {
        @Override
        public StreamObserver<org.fedgen.grpc.proto.ClientMessage> session(StreamObserver<ServerMessage> response) {
            ServerCallStreamObserver<ServerMessage> call = (ServerCallStreamObserver<ServerMessage>) response;
            FlowControlledSender<ServerMessage> out = new FlowControlledSender<>(call);
            call.setOnReadyHandler(out::onReady);
            ServerSession s = new ServerSession(GrpcFederationServer.this, out, PEER.get(), CERTIFIED.get());
            call.setOnCancelHandler(() -> {
                out.closed();
                s.close("the connection was cancelled");
            });
            return s;
        }
    }

    /** Builder of a {@link GrpcFederationServer}. */
    public static final class Builder {
        private int port = -1;
        private String bindAddress = "0.0.0.0";
        private int clients;
        private Path certChain;
        private Path privateKey;
        private Path clientCa;
        private ClientTokens tokens;
        private String runConfig = "";
        private Map<String, Long> layout = Map.of();
        private int maxChunkBytes = Protocol.DEFAULT_MAX_CHUNK_BYTES;
        private List<String> localOnly = List.of();
        private Duration reconnectGrace = Duration.ofSeconds(10);
        private boolean secureAggregation;

        private Builder() {
        }

        /**
         * The run uses secure aggregation: a host that does not run its client side (one built before it) is
         * refused at its Hello, with that reason.
         */
        public Builder secureAggregation(boolean v) {
            secureAggregation = v;
            return this;
        }

        /** The TCP port (0 = any free one, see {@link #port()}). */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], got " + v);
            }
            port = v;
            return this;
        }

        /** The address to listen on (default 0.0.0.0, every interface); a plaintext non-loopback one warns. */
        public Builder bindAddress(String v) {
            bindAddress = Objects.requireNonNull(v, "bindAddress");
            return this;
        }

        /** The population: client ids 0..n−1. */
        public Builder clients(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("clients must be >= 1, got " + n);
            }
            clients = n;
            return this;
        }

        /** TLS with this PEM certificate chain and PKCS#8 PEM private key (default: plaintext). */
        public Builder tls(Path certChain, Path privateKey) {
            this.certChain = Objects.requireNonNull(certChain, "certChain");
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /**
         * Mutual TLS: hosts must present a certificate signed by this PEM CA, and may act only as the ids its
         * subject CN names ({@code client-K} or {@code clients-A-B}). Needs {@link #tls}.
         */
        public Builder clientCa(Path ca) {
            clientCa = Objects.requireNonNull(ca, "clientCa");
            return this;
        }

        /** Bearer tokens every client id must present (default: none required). */
        public Builder tokens(ClientTokens v) {
            tokens = v;
            return this;
        }

        /** The run configuration clients build their model from (sent to every host as is). */
        public Builder runConfig(String v) {
            runConfig = Objects.requireNonNull(v, "runConfig");
            return this;
        }

        /** The model layout, part name → length, in order; hosts whose model differs stop with a clear error. */
        public Builder layout(Map<String, Long> v) {
            layout = new LinkedHashMap<>(v);
            return this;
        }

        /** Parts clients keep their own copy of (a part policy's local-only parts). */
        public Builder localOnlyParts(Set<String> v) {
            localOnly = List.copyOf(v);
            return this;
        }

        /**
         * How long a task whose session was lost waits for its client to reconnect and be offered it again, before
         * it fails and the round goes on without the client (default 10 s; zero fails it at once). A round deadline
         * ends the wait sooner. It also bounds how long {@link #finish} waits for a disconnected host to reconnect
         * and hear that the run is over.
         */
        public Builder reconnectGrace(Duration v) {
            if (v == null || v.isNegative()) {
                throw new IllegalArgumentException("reconnect grace must be >= 0, got " + v);
            }
            reconnectGrace = v;
            return this;
        }

        /** Largest chunk of model values per message (default 1 MiB); larger chunks from a client are refused. */
        public Builder maxChunkBytes(int v) {
            if (v < 1024 || v > (64 << 20)) {
                throw new IllegalArgumentException("max chunk bytes must be in [1024, 64 MiB], got " + v);
            }
            maxChunkBytes = v - v % Float.BYTES;
            return this;
        }

        /**
         * The server, not started yet.
         *
         * @throws IllegalArgumentException if the port or population is missing, or a client CA is given without TLS
         */
        public GrpcFederationServer build() {
            if (port < 0) {
                throw new IllegalArgumentException("a port is required");
            }
            if (clients < 1) {
                throw new IllegalArgumentException("the number of clients is required");
            }
            if (clientCa != null && certChain == null) {
                throw new IllegalArgumentException("client certificates (--client-ca) need the server's own TLS "
                        + "certificate and key");
            }
            return new GrpcFederationServer(this);
        }
    }
}
