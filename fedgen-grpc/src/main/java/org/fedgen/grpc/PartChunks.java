package org.fedgen.grpc;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import org.fedgen.grpc.proto.Chunk;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Cuts a vector into chunks of raw little-endian float32, one at a time, so no message holds a whole part. */
final class PartChunks {
    private PartChunks() {
    }

    /** Hands {@code out} the chunks of {@code v} (part {@code part} of message {@code id}) in offset order. */
    static void send(long id, int part, INDArray v, int maxChunkBytes, Consumer<Chunk> out) {
        int per = Math.max(1, maxChunkBytes / Float.BYTES);
        long n = v.length();
        for (long off = 0; off < n; off += per) {
            int len = (int) Math.min(per, n - off);
            float[] f = v.get(NDArrayIndex.interval(off, off + len)).toFloatVector();
            ByteBuffer b = ByteBuffer.allocate(len * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(f);
            out.accept(Chunk.newBuilder().setId(id).setPart(part).setOffset(off)
                    .setData(UnsafeByteOperations.unsafeWrap(b.array())).build());
        }
    }
}
