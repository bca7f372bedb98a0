package org.fedgen.grpc;

import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.EvalInstructions;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.grpc.proto.CancelTask;
import org.fedgen.grpc.proto.Chunk;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.EvalResult;
import org.fedgen.grpc.proto.EvalTask;
import org.fedgen.grpc.proto.Hello;
import org.fedgen.grpc.proto.ModelEnd;
import org.fedgen.grpc.proto.ModelStart;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.grpc.proto.Shutdown;
import org.fedgen.grpc.proto.Task;
import org.fedgen.grpc.proto.TaskFailed;
import org.fedgen.grpc.proto.UpdateStart;
import org.fedgen.privacy.secagg.SecAggConfig;
import org.fedgen.privacy.secagg.SecAggMessage;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one client host's stream: admits its Hello, sends models and tasks (on its own thread, at the
 * network's pace) and turns the host's answers into the futures {@link RemoteClientProxy} returned. Everything the
 * host sends is checked against what it was asked; a refused message is logged once and counted, and never touches
 * another task or the model.
 */
final class ServerSession implements StreamObserver<ClientMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);

    private final GrpcFederationServer server;
    private final FlowControlledSender<ServerMessage> out;
    private final String peer;
    /** Ids the host's certificate allows, or null without mutual TLS. */
    private final Set<Integer> certified;
    private final ExecutorService sender;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Answered or given-up tasks: a second answer is a replay. */
    private final Set<Long> finished = ConcurrentHashMap.newKeySet();
    private volatile Set<Integer> ids = Set.of();
    /** The number of examples each hosted id registered. */
    private volatile Map<Integer, Long> examples = Map.of();
    /** Ids whose registered size was found not to match the split (refused once, then failed quietly). */
    private final Set<Integer> mismatched = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    // Only on the transport's thread for this call (inbound messages are serialised).
    private Pending receiving;
    private PartReceiver receiver;
    private long discarding = -1;
    // Only on the sender thread.
    private ModelState lastModel;
    private long lastVersion;

    /**
     * A task sent to the host and not yet answered; {@code global} and {@code kind} are kept so that the task can be
     * offered again to the client's next session if this one dies first ({@link #reoffer}).
     */
    record Pending(long taskId, int clientId, long round, boolean fit, Map<String, Long> expected,
            CompletableFuture<Object> future, ModelState global, java.util.function.Consumer<Task.Builder> kind) {
    }

    ServerSession(GrpcFederationServer server, FlowControlledSender<ServerMessage> out, String peer,
            Set<Integer> certified) {
        this.server = server;
        this.out = out;
        this.peer = peer;
        this.certified = certified;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fedgen-grpc-send-" + peer);
            t.setDaemon(true);
            return t;
        });
    }

    /** The ids this session answers for (empty before its Hello is admitted). */
    Set<Integer> ids() {
        return ids;
    }

    String peer() {
        return peer;
    }

    // ---- tasks from the server's round loop ----

    /**
     * Why client {@code id}'s registered size disagrees with the split's, or null if it agrees (or the split's is
     * unknown); the first time it is refused and counted.
     */
    String dataMismatch(int id, java.util.OptionalLong split) {
        long claimed = examples.getOrDefault(id, -1L);
        if (split.isEmpty() || claimed == split.getAsLong()) {
            return null;
        }
        String why = "client " + id + " registers " + claimed + " training examples but the run's split gives it "
                + split.getAsLong() + " (write its data with 'fedgen split' and the run's partition options)";
        if (mismatched.add(id)) {
            refuse(Refusal.DATA, why);
        }
        return why;
    }

    CompletableFuture<ClientUpdate> fit(int clientId, ModelState global, FitInstructions ins) {
        Map<String, Long> expected = new LinkedHashMap<>();
        global.parts().forEach((k, v) -> {
            if (ins.sends(k)) {
                expected.put(k, v.length());
            }
        });
        Pending p = submit(clientId, ins.round(), true, expected, global,
                b -> b.setFit(Protocol.wire(ins)), new CompletableFuture<>());
        return p.future.thenApply(ClientUpdate.class::cast);
    }

    CompletableFuture<Map<String, Double>> evaluate(int clientId, ModelState global, EvalInstructions ins,
            Set<String> ownParts) {
        Pending p = submit(clientId, ins.round(), false, Map.of(), global,
                b -> b.setEvaluate(EvalTask.newBuilder().setRound(ins.round()).setSeed(ins.seed())
                        .addAllOwnParts(ownParts)), new CompletableFuture<>());
        @SuppressWarnings("unchecked")
        CompletableFuture<Map<String, Double>> f = p.future.thenApply(o -> (Map<String, Double>) o);
        return f;
    }

    /**
     * Offers a task of a dead session of the same client to this one, answering the same future: training is seeded
     * by round and client, so the answer is the same bits.
     */
    void reoffer(Pending orphan) {
        String mismatch = dataMismatch(orphan.clientId(), server.splitSize(orphan.clientId()));
        if (mismatch != null) {
            orphan.future().completeExceptionally(new IllegalStateException(mismatch));
            return;
        }
        LOG.info("{}: task of client {} for round {} offered again after its session was lost", peer,
                orphan.clientId(), orphan.round());
        submit(orphan.clientId(), orphan.round(), orphan.fit(), orphan.expected(), orphan.global(), orphan.kind(),
                orphan.future());
    }

    private Pending submit(int clientId, long round, boolean fit, Map<String, Long> expected, ModelState global,
            java.util.function.Consumer<Task.Builder> kind, CompletableFuture<Object> future) {
        long taskId = server.nextTaskId();
        Pending p = new Pending(taskId, clientId, round, fit, expected, future, global, kind);
        pending.put(taskId, p);
        if (closed) {
            orphan(p, "client " + clientId + " disconnected");
            return p;
        }
        p.future.whenComplete((v, e) -> {
            if (p.future.isCancelled() && pending.remove(taskId) != null) {
                // The round stopped waiting (deadline): a late answer is not a replay, but is not used either.
                finished.add(taskId);
                sendQuietly(ServerMessage.newBuilder().setCancel(CancelTask.newBuilder().setTaskId(taskId)).build());
            }
        });
        boolean queued = later(() -> {
            if (p.future.isDone() || !pending.containsKey(taskId)) {
                return; // given up (deadline), or handed back to the server while it waited to be sent
            }
            try {
                long version = sendModel(global);
                Task.Builder t = Task.newBuilder().setTaskId(taskId).setClientId(clientId).setModelVersion(version);
                kind.accept(t);
                send(ServerMessage.newBuilder().setTask(t).build());
            } catch (RuntimeException e) {
                orphan(p, "client " + clientId + " could not be sent its task: " + e.getMessage());
            }
        });
        if (!queued) {
            orphan(p, "client " + clientId + " disconnected");
        }
        return p;
    }

    /** Sends the global state unless this host already has it; returns its version. */
    private long sendModel(ModelState global) {
        if (global == lastModel) {
            return lastVersion;
        }
        long version = server.nextTaskId();
        Map<String, Long> layout = Protocol.layout(global);
        send(ServerMessage.newBuilder().setModelStart(ModelStart.newBuilder().setVersion(version)
                .setRound(global.round()).addAllParts(Protocol.headers(layout))).build());
        int part = 0;
        for (INDArray v : global.parts().values()) {
            PartChunks.send(version, part++, v, server.maxChunkBytes(),
                    c -> send(ServerMessage.newBuilder().setChunk(c).build()));
        }
        send(ServerMessage.newBuilder().setModelEnd(ModelEnd.newBuilder().setVersion(version)).build());
        lastModel = global;
        lastVersion = version;
        return version;
    }

    private void send(ServerMessage m) {
        out.send(m);
        server.counters().sent(m.getSerializedSize());
    }

    private void sendQuietly(ServerMessage m) {
        later(() -> {
            try {
                send(m);
            } catch (RuntimeException e) {
                LOG.debug("{}: could not send {}: {}", peer, m.getBodyCase(), e.toString());
            }
        });
    }

    /** Runs {@code r} on the sender thread; false once the session's sender has stopped. */
    private boolean later(Runnable r) {
        try {
            sender.execute(r);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** Tells the host the run is over and ends the stream. */
    void shutdown(String reason, boolean complete) {
        later(() -> {
            try {
                send(ServerMessage.newBuilder().setShutdown(Shutdown.newBuilder().setReason(reason)
                        .setRunComplete(complete)).build());
            } catch (RuntimeException e) {
                LOG.debug("{}: shutdown not delivered: {}", peer, e.toString());
            }
            out.complete();
        });
        sender.shutdown();
    }

    // ---- messages from the host ----

    @Override
    public void onNext(ClientMessage m) {
        server.counters().received(m.getSerializedSize());
        if (closed) {
            return;
        }
        if (m.getBodyCase() == ClientMessage.BodyCase.HELLO) {
            if (!ids.isEmpty()) {
                refuseSession(Refusal.PROTOCOL, "a second Hello on the same session");
                return;
            }
            hello(m.getHello());
            return;
        }
        if (ids.isEmpty()) {
            refuseSession(Refusal.PROTOCOL, "a " + m.getBodyCase() + " message before Hello");
            return;
        }
        switch (m.getBodyCase()) {
            case UPDATE_START -> updateStart(m.getUpdateStart());
            case CHUNK -> chunk(m.getChunk());
            case UPDATE_END -> updateEnd(m.getUpdateEnd().getTaskId());
            case EVAL_RESULT -> evalResult(m.getEvalResult());
            case TASK_FAILED -> taskFailed(m.getTaskFailed());
            case SECAGG_REPLY -> secAggReply(m.getSecaggReply());
            default -> refuseSession(Refusal.PROTOCOL, "an empty or unknown message");
        }
    }

    private void hello(Hello h) {
        if (h.getProtocolVersion() != Protocol.VERSION) {
            refuseSession(Refusal.PROTOCOL, "the client speaks protocol version " + h.getProtocolVersion()
                    + ", this server " + Protocol.VERSION);
            return;
        }
        if (h.getClientsCount() == 0) {
            refuseSession(Refusal.PROTOCOL, "Hello names no client id");
            return;
        }
        if (server.secureAggregation() && !h.getFeaturesList().contains(SecAggWire.FEATURE)) {
            refuseSession(Refusal.PROTOCOL, "this run uses secure aggregation, and the client host does not run"
                    + " its client side (a fedgen client built before it)");
            return;
        }
        Set<Integer> claimed = new TreeSet<>();
        for (var c : h.getClientsList()) {
            int id = c.getId();
            if (!claimed.add(id)) {
                refuseSession(Refusal.IDENTITY, "client " + id + " is named twice");
                return;
            }
            String why = server.admissionProblem(id, c.getNumExamples(), c.getToken(), certified);
            if (why != null) {
                refuseSession(why.startsWith("token") ? Refusal.TOKEN : why.startsWith("data") ? Refusal.DATA
                        : Refusal.IDENTITY, why.substring(why.indexOf(':') + 2));
                return;
            }
        }
        Map<Integer, Long> n = new HashMap<>();
        h.getClientsList().forEach(c -> n.put(c.getId(), c.getNumExamples()));
        examples = Map.copyOf(n);
        ids = Set.copyOf(claimed);
        // The Welcome is queued before the ids are registered: registering can start a round at once, and its
        // model and task, queued on the same sender thread, must reach the host after the Welcome, not before.
        sendQuietly(ServerMessage.newBuilder().setWelcome(server.welcome()).build());
        server.register(this);
        LOG.info("{}: session for clients {}", peer, GrpcFederationServer.ranges(claimed));
    }

    private void updateStart(UpdateStart u) {
        long taskId = u.getTaskId();
        if (receiving != null) {
            refuseSession(Refusal.PROTOCOL, "update of task " + taskId + " started inside the update of task "
                    + receiving.taskId());
            return;
        }
        Pending p = pending.get(taskId);
        if (p == null) {
            refuseUnknown("update", taskId);
            discarding = taskId;
            return;
        }
        String why = null;
        Refusal kind = Refusal.MALFORMED;
        PayloadKind payload = Protocol.core(u.getKind());
        Map<String, Long> sent = new LinkedHashMap<>();
        u.getPartsList().forEach(h -> sent.put(h.getName(), h.getLength()));
        if (!p.fit()) {
            why = "an update for evaluation task " + taskId;
            kind = Refusal.TASK;
        } else if (u.getClientId() != p.clientId()) {
            why = "client " + u.getClientId() + " answers task " + taskId + ", which was given to client "
                    + p.clientId();
            kind = Refusal.IDENTITY;
        } else if (u.getRound() != p.round()) {
            why = "update for round " + u.getRound() + " but task " + taskId + " is of round " + p.round();
            kind = Refusal.TASK;
        } else if (Math.max(u.getMetricsCount(), u.getMetricOrderCount()) > Protocol.MAX_METRICS) {
            why = Math.max(u.getMetricsCount(), u.getMetricOrderCount()) + " metrics, the limit is "
                    + Protocol.MAX_METRICS;
            kind = Refusal.OVERSIZED;
        } else if (payload == null) {
            why = "unknown payload kind " + u.getKind();
        } else if (!sent.equals(p.expected()) || u.getPartsCount() != sent.size()) {
            why = "model layout mismatch: the update has parts " + Protocol.describe(sent) + ", the task asked for "
                    + Protocol.describe(p.expected());
        } else if (u.getNumExamples() < 0) {
            why = "negative number of examples " + u.getNumExamples();
        }
        if (why != null) {
            refuse(kind, why);
            fail(p, "refused: " + why);
            discarding = taskId;
            return;
        }
        receiving = p;
        receiver = new PartReceiver(p.expected(), server.maxChunkBytes());
        receivingHeader = u;
    }

    private UpdateStart receivingHeader;

    private void chunk(Chunk c) {
        if (c.getId() == discarding) {
            return;
        }
        if (receiving == null || c.getId() != receiving.taskId()) {
            refuse(Refusal.TASK, "a chunk for task " + c.getId() + ", whose update was not started");
            return;
        }
        String why = receiver.accept(c);
        if (why != null) {
            Pending p = receiving;
            stopReceiving();
            discarding = p.taskId();
            refuse(why.startsWith("oversized") ? Refusal.OVERSIZED : Refusal.MALFORMED, why);
            fail(p, "refused: " + why);
        }
    }

    private void updateEnd(long taskId) {
        if (taskId == discarding) {
            discarding = -1;
            return;
        }
        if (receiving == null || receiving.taskId() != taskId) {
            refuse(Refusal.TASK, "the end of an update for task " + taskId + " that was not started");
            return;
        }
        Pending p = receiving;
        UpdateStart h = receivingHeader;
        PartReceiver r = receiver;
        stopReceiving();
        String missing = r.missing();
        if (missing != null) {
            refuse(Refusal.MALFORMED, "update of task " + taskId + " ended early: " + missing);
            fail(p, "refused: incomplete update (" + missing + ")");
            return;
        }
        if (pending.remove(taskId) == null) {
            return; // cancelled while it arrived
        }
        finished.add(taskId);
        p.future().complete(new ClientUpdate(p.clientId(), h.getRound(), h.getNumExamples(),
                Protocol.core(h.getKind()), r.parts(), Protocol.ordered(h.getMetricsMap(), h.getMetricOrderList())));
    }

    private void stopReceiving() {
        receiving = null;
        receiver = null;
        receivingHeader = null;
    }

    private void evalResult(EvalResult e) {
        Pending p = answered(e.getTaskId(), e.getClientId(), false);
        if (p == null) {
            return;
        }
        if (Math.max(e.getMetricsCount(), e.getMetricOrderCount()) > Protocol.MAX_METRICS) {
            refuse(Refusal.OVERSIZED, Math.max(e.getMetricsCount(), e.getMetricOrderCount())
                    + " evaluation metrics, the limit is "
                    + Protocol.MAX_METRICS);
            fail(p, "refused: too many metrics");
            return;
        }
        p.future().complete(Protocol.ordered(e.getMetricsMap(), e.getMetricOrderList()));
    }

    private void taskFailed(TaskFailed f) {
        Pending p = answered(f.getTaskId(), f.getClientId(), null);
        if (p != null) {
            String reason = f.getReason().length() > 500 ? f.getReason().substring(0, 500) + "…" : f.getReason();
            fail(p, "client " + p.clientId() + " reports: " + reason);
        }
    }

    /** The pending task an answer is for, removed; null (after a logged refusal) if it may not answer it. */
    private Pending answered(long taskId, int clientId, Boolean fit) {
        Pending p = pending.get(taskId);
        if (p == null) {
            refuseUnknown("answer", taskId);
            return null;
        }
        if (clientId != p.clientId()) {
            refuse(Refusal.IDENTITY, "client " + clientId + " answers task " + taskId + " of client "
                    + p.clientId());
            return null;
        }
        if (fit != null && fit != p.fit()) {
            refuse(Refusal.TASK, "an evaluation answer for fit task " + taskId);
            return null;
        }
        if (pending.remove(taskId) == null) {
            return null;
        }
        finished.add(taskId);
        return p;
    }

    /** Refuses a message for a task that is not pending: a replay if it was answered, else a task not given. */
    private void refuseUnknown(String what, long taskId) {
        if (finished.contains(taskId)) {
            refuse(Refusal.REPLAY, what + " for task " + taskId + ", which was already answered or given up");
        } else {
            refuse(Refusal.TASK, what + " for task " + taskId + ", which was not given to this session");
        }
    }

    /** Takes {@code p} off this session and gives it to the server to offer again or fail. */
    private void orphan(Pending p, String why) {
        if (pending.remove(p.taskId()) != null) {
            finished.add(p.taskId());
            server.orphan(this, p, why);
        }
    }

    private void fail(Pending p, String why) {
        pending.remove(p.taskId());
        finished.add(p.taskId());
        p.future().completeExceptionally(new IllegalStateException(why));
    }

    private void refuse(Refusal kind, String why) {
        server.counters().refused(kind);
        LOG.warn("{} (clients {}): refused ({}): {}", peer, GrpcFederationServer.ranges(ids), kind.column(), why);
    }

    /** Refuses the whole session: tells the host why and closes the stream. */
    private void refuseSession(Refusal kind, String why) {
        refuse(kind, why);
        sendQuietly(ServerMessage.newBuilder().setRefusal(org.fedgen.grpc.proto.Refusal.newBuilder()
                .setReason(why)).build());
        later(out::complete);
        close("refused: " + why);
    }

    // ---- secure aggregation ----

    /** A secure aggregation request sent to one hosted client and not yet answered. */
    private record Exchange(long id, int clientId, CompletableFuture<SecAggMessage> reply) {
    }

    private final Map<Long, Exchange> exchanges = new ConcurrentHashMap<>();
    /** Answered or given-up exchanges: a second reply is a replay. */
    private final Set<Long> exchanged = ConcurrentHashMap.newKeySet();

    /** Sends {@code request} to hosted client {@code clientId}; the future completes with its checked reply. */
    CompletableFuture<SecAggMessage> secAgg(int clientId, SecAggMessage request, SecAggConfig config) {
        long id = server.nextTaskId();
        Exchange x = new Exchange(id, clientId, new CompletableFuture<>());
        exchanges.put(id, x);
        x.reply().whenComplete((v, e) -> {
            exchanges.remove(id);
            exchanged.add(id);
        });
        if (closed) {
            x.reply().completeExceptionally(new IllegalStateException("client " + clientId + " disconnected"));
            return x.reply();
        }
        ServerMessage m = ServerMessage.newBuilder().setSecaggRequest(SecAggWire.request(id, clientId, request,
                config)).build();
        boolean queued = later(() -> {
            try {
                send(m);
            } catch (RuntimeException e) {
                x.reply().completeExceptionally(new IllegalStateException("client " + clientId
                        + " could not be sent its secure aggregation request: " + e.getMessage()));
            }
        });
        if (!queued) {
            x.reply().completeExceptionally(new IllegalStateException("client " + clientId + " disconnected"));
        }
        return x.reply();
    }

    private void secAggReply(org.fedgen.grpc.proto.SecAggReply r) {
        Exchange x = exchanges.get(r.getExchangeId());
        if (x == null) {
            refuse(exchanged.contains(r.getExchangeId()) ? Refusal.REPLAY : Refusal.TASK, "a secure aggregation"
                    + " reply for exchange " + r.getExchangeId() + ", which " + (exchanged.contains(r.getExchangeId())
                    ? "was already answered or given up" : "was not sent to this session"));
            return;
        }
        if (r.getClientId() != x.clientId()) {
            String why = "client " + r.getClientId() + " answers secure aggregation exchange " + x.id()
                    + " of client " + x.clientId();
            refuse(Refusal.IDENTITY, why);
            x.reply().completeExceptionally(new IllegalStateException("refused: " + why));
            return;
        }
        SecAggMessage m;
        try {
            m = SecAggWire.reply(r, x.clientId(), server.population());
        } catch (IllegalArgumentException e) {
            if (r.getStepCase() != org.fedgen.grpc.proto.SecAggReply.StepCase.REFUSED) {
                refuse(Refusal.MALFORMED, "secure aggregation reply of client " + x.clientId() + ": "
                        + e.getMessage());
            }
            x.reply().completeExceptionally(new IllegalStateException(e.getMessage()));
            return;
        }
        x.reply().complete(m);
    }

    @Override
    public void onError(Throwable t) {
        out.closed();
        close("connection lost: " + Protocol.describe(io.grpc.Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
        later(out::complete);
        close("the client ended its session");
    }

    /**
     * Forgets this session's ids and hands every pending task to the server, which offers it again to the client's
     * next session if it reconnects in time, and otherwise fails it (the round goes on without it).
     */
    void close(String why) {
        synchronized (this) {
            if (closed) {
                return;
            }
            // Unregistered first: a task given to this session after this line is orphaned by submit itself.
            server.unregister(this);
            closed = true;
        }
        boolean known = !ids.isEmpty();
        List<Pending> open = List.copyOf(pending.values());
        for (Pending p : open) {
            orphan(p, "client " + p.clientId() + " disconnected (" + why + ")");
        }
        for (Exchange x : List.copyOf(exchanges.values())) {
            exchanges.remove(x.id());
            x.reply().completeExceptionally(new IllegalStateException("client " + x.clientId() + " disconnected ("
                    + why + ")"));
        }
        if (known) {
            server.counters().sessionLost();
            LOG.info("{}: session of clients {} closed: {}{}", peer, GrpcFederationServer.ranges(ids), why,
                    open.isEmpty() ? "" : "; " + open.size() + " open tasks wait for the client to reconnect");
        }
        sender.shutdown();
    }
}
