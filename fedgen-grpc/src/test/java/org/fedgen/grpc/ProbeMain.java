package org.fedgen.grpc;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import org.fedgen.grpc.proto.Chunk;
import org.fedgen.grpc.proto.ClientMessage;
import org.fedgen.grpc.proto.PayloadKind;
import org.fedgen.grpc.proto.Task;
import org.fedgen.grpc.proto.UpdateStart;

/**
 * A misbehaving client for scripts/grpc-faults.sh (not a test): joins as {@code id} with {@code token} and answers
 * its first task with an update for the previous round, its second with an oversized chunk, then hangs up.
 *
 * <p>Usage: {@code ProbeMain HOST:PORT ID TOKEN EXAMPLES}
 */
public final class ProbeMain {
    private ProbeMain() {
    }

    /** Runs the probe. */
    public static void main(String[] args) throws Exception {
        try (RogueClient r = new RogueClient(Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create())
                .build())) {
            r.timeoutSeconds = 600;
            int id = Integer.parseInt(args[1]);
            r.hello(Protocol.VERSION, id, args[2], Long.parseLong(args[3]));
            System.out.println("probe: server answered " + r.next().getBodyCase());
            Task t = r.task();
            r.update(t.getTaskId(), id, t.getFit().getRound() - 1, "encoder", new float[] {1, 2, 3});
            System.out.println("probe: sent a stale-round update for task " + t.getTaskId() + " (round "
                    + t.getFit().getRound() + ")");
            Task t2 = r.task();
            r.send(ClientMessage.newBuilder().setUpdateStart(UpdateStart.newBuilder().setTaskId(t2.getTaskId())
                    .setClientId(id).setRound(t2.getFit().getRound()).setNumExamples(1).setKind(PayloadKind.WEIGHTS)
                    .addAllParts(r.layout)).build());
            r.send(ClientMessage.newBuilder().setChunk(Chunk.newBuilder().setId(t2.getTaskId()).setPart(0)
                    .setData(RogueClient.floats(new float[(Protocol.DEFAULT_MAX_CHUNK_BYTES / 4) + 1024]))).build());
            System.out.println("probe: sent an oversized chunk for task " + t2.getTaskId());
            Thread.sleep(1000);
        }
    }
}
