package org.fedgen.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedgen.grpc.proto.Chunk;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.FederationGrpc;
import org.fedgen.grpc.proto.Hello;
import org.fedgen.grpc.proto.HostedClient;
import org.fedgen.grpc.proto.PartHeader;
import org.fedgen.grpc.proto.PayloadKind;
import org.fedgen.grpc.proto.ServerMessage;
import org.fedgen.grpc.proto.Task;
import org.fedgen.grpc.proto.UpdateEnd;
import org.fedgen.grpc.proto.UpdateStart;

/** A hand-driven client for tests: sends exactly the messages a test wants, well-formed or not. */
final class RogueClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final BlockingQueue<ServerMessage> in = new LinkedBlockingQueue<>();
    private final StreamObserver<ClientMessage> out;
    volatile boolean closed;
    /** How long {@link #next()} waits for a message. */
    long timeoutSeconds = 10;
    /** The parts of the last model the server sent. */
    java.util.List<PartHeader> layout = java.util.List.of();

    RogueClient(ManagedChannel channel) {
        this.channel = channel;
        this.out = FederationGrpc.newStub(channel).session(new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage m) {
                in.add(m);
            }

            @Override
            public void onError(Throwable t) {
                closed = true;
            }

            @Override
            public void onCompleted() {
                closed = true;
            }
        });
    }

    synchronized void send(ClientMessage m) {
        out.onNext(m);
    }

    void hello(int version, int id, String token, long examples) {
        send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(version)
                .addClients(HostedClient.newBuilder().setId(id).setNumExamples(examples).setToken(token))).build());
    }

    /** The next message from the server ({@link #timeoutSeconds} at most). */
    ServerMessage next() throws InterruptedException {
        ServerMessage m = in.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message from the server within " + timeoutSeconds + " s");
        }
        return m;
    }

    /** Skips the model messages and returns the next task. */
    Task task() throws InterruptedException {
        while (true) {
            ServerMessage m = next();
            if (m.hasTask()) {
                return m.getTask();
            }
            if (m.hasModelStart()) {
                layout = m.getModelStart().getPartsList();
            }
        }
    }

    /** Sends a one-part update {@code values} for a task, as the given client and round. */
    void update(long taskId, int clientId, long round, String part, float[] values) {
        send(ClientMessage.newBuilder().setUpdateStart(UpdateStart.newBuilder().setTaskId(taskId)
                .setClientId(clientId).setRound(round).setNumExamples(5).setKind(PayloadKind.WEIGHTS)
                .addParts(PartHeader.newBuilder().setName(part).setLength(values.length))).build());
        send(ClientMessage.newBuilder().setChunk(Chunk.newBuilder().setId(taskId).setPart(0).setOffset(0)
                .setData(floats(values))).build());
        send(ClientMessage.newBuilder().setUpdateEnd(UpdateEnd.newBuilder().setTaskId(taskId)).build());
    }

    static ByteString floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return ByteString.copyFrom(b.array());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            out.onCompleted();
        } catch (RuntimeException e) {
            // already closed
        }
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
