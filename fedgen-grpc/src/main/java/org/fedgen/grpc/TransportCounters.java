package org.fedgen.grpc;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Thread-safe counts of refusals by reason, of sessions opened and lost, and of bytes on the wire. */
public final class TransportCounters {
    private final AtomicLongArray refusals = new AtomicLongArray(Refusal.values().length);
    private final java.util.concurrent.atomic.AtomicLong sessions = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytesSent = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytesReceived =
            new java.util.concurrent.atomic.AtomicLong();

    void refused(Refusal r) {
        refusals.incrementAndGet(r.ordinal());
    }

    void sessionOpened() {
        sessions.incrementAndGet();
    }

    void sessionLost() {
        lost.incrementAndGet();
    }

    void sent(long bytes) {
        bytesSent.addAndGet(bytes);
    }

    void received(long bytes) {
        bytesReceived.addAndGet(bytes);
    }

    /** Refusals of one reason so far. */
    public long refusals(Refusal r) {
        return refusals.get(r.ordinal());
    }

    /** Refusals by reason so far. */
    public Map<Refusal, Long> refusals() {
        Map<Refusal, Long> m = new EnumMap<>(Refusal.class);
        for (Refusal r : Refusal.values()) {
            m.put(r, refusals(r));
        }
        return m;
    }

    /** Serialized bytes of the messages sent so far (model chunks, tasks, control). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Serialized bytes of the messages received so far. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /**
     * Every count as metrics columns: {@code refused_<reason>}, {@code sessions}, {@code sessions_lost},
     * {@code wire_bytes_sent}, {@code wire_bytes_received}.
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Refusal r : Refusal.values()) {
            m.put(r.column(), refusals(r));
        }
        m.put("sessions", sessions.get());
        m.put("sessions_lost", lost.get());
        m.put("wire_bytes_sent", bytesSent.get());
        m.put("wire_bytes_received", bytesReceived.get());
        return m;
    }
}
