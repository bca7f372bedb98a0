package org.fedgen.grpc;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.grpc.proto.Chunk;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Receives the parts of one model or update into vectors allocated once from their announced lengths: each chunk is
 * checked (part index, offset in order, whole float32 values, within the part) and written in place.
 */
final class PartReceiver {
    private final List<String> names;
    private final INDArray[] parts;
    private final long[] next;
    private final int maxChunkBytes;

    /** @param layout part name → length, in order; every length must be positive */
    PartReceiver(Map<String, Long> layout, int maxChunkBytes) {
        this.names = new ArrayList<>(layout.keySet());
        this.parts = new INDArray[names.size()];
        this.next = new long[names.size()];
        this.maxChunkBytes = maxChunkBytes;
        int i = 0;
        for (long len : layout.values()) {
            parts[i++] = Nd4j.create(DataType.FLOAT, len);
        }
    }

    /** Writes the chunk into its part; returns why it is refused, or null. */
    String accept(Chunk c) {
        int p = c.getPart();
        int bytes = c.getData().size();
        if (bytes > maxChunkBytes) {
            return "oversized chunk: " + bytes + " bytes, the limit is " + maxChunkBytes;
        }
        if (p < 0 || p >= parts.length) {
            return "chunk for part " + p + " of " + parts.length;
        }
        if (bytes % Float.BYTES != 0 || bytes == 0) {
            return "chunk of " + bytes + " bytes is not a whole number of float32 values";
        }
        long n = bytes / Float.BYTES;
        if (c.getOffset() != next[p] || next[p] + n > parts[p].length()) {
            return "chunk of part '" + names.get(p) + "' at offset " + c.getOffset() + " with " + n
                    + " values, expected offset " + next[p] + " of " + parts[p].length();
        }
        FloatBuffer src = c.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        FloatBuffer dst = parts[p].data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        dst.position((int) next[p]);
        dst.put(src);
        next[p] += n;
        return null;
    }

    /** The first part not yet complete, or null when every value has arrived. */
    String missing() {
        for (int i = 0; i < parts.length; i++) {
            if (next[i] != parts[i].length()) {
                return "part '" + names.get(i) + "' has " + next[i] + " of " + parts[i].length() + " values";
            }
        }
        return null;
    }

    /** The received parts, in order (only meaningful once {@link #missing()} is null). */
    Map<String, INDArray> parts() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            m.put(names.get(i), parts[i]);
        }
        return m;
    }
}
