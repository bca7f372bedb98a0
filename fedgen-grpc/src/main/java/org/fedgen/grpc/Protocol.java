package org.fedgen.grpc;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.fedgen.core.FitInstructions;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.grpc.proto.FitTask;
import org.fedgen.grpc.proto.PartHeader;

/** The protocol version and the mapping between core types and their wire messages. */
public final class Protocol {
    /** The protocol version this build speaks; a peer with another one is refused. */
    public static final int VERSION = 1;
    /** Default largest chunk of model values in one message: 1 MiB of float32. */
    public static final int DEFAULT_MAX_CHUNK_BYTES = 1 << 20;
    /** Most scalar metrics an update or evaluation may carry. */
    static final int MAX_METRICS = 256;

    private Protocol() {
    }

    static org.fedgen.grpc.proto.PayloadKind wire(PayloadKind k) {
        return switch (k) {
            case WEIGHTS -> org.fedgen.grpc.proto.PayloadKind.WEIGHTS;
            case DELTA -> org.fedgen.grpc.proto.PayloadKind.DELTA;
            case GRADIENT -> org.fedgen.grpc.proto.PayloadKind.GRADIENT;
        };
    }

    /** The core kind, or null for a value this version does not know. */
    static PayloadKind core(org.fedgen.grpc.proto.PayloadKind k) {
        return switch (k) {
            case WEIGHTS -> PayloadKind.WEIGHTS;
            case DELTA -> PayloadKind.DELTA;
            case GRADIENT -> PayloadKind.GRADIENT;
            default -> null;
        };
    }

    static FitTask wire(FitInstructions i) {
        return FitTask.newBuilder().setRound(i.round()).setLocalEpochs(i.localEpochs()).setLocalSteps(i.localSteps())
                .setBatchSize(i.batchSize()).setLearningRate(i.learningRate()).setProximalMu(i.proximalMu())
                .setSeed(i.seed()).setPayloadKind(wire(i.payloadKind())).addAllTrainParts(i.trainParts())
                .addAllSendParts(i.sendParts()).addAllPersistParts(i.persistParts())
                .addAllResumeParts(i.resumeParts()).setReportMmd(i.reportMmd()).setMmdSamples(i.mmdSamples())
                .putAllConfig(i.config()).build();
    }

    /** @throws IllegalArgumentException if a value is out of range (the builder's checks) */
    static FitInstructions core(FitTask t) {
        PayloadKind kind = core(t.getPayloadKind());
        if (kind == null) {
            throw new IllegalArgumentException("unknown payload kind " + t.getPayloadKind());
        }
        FitInstructions.Builder b = FitInstructions.builder().round(t.getRound()).localEpochs(t.getLocalEpochs())
                .localSteps(t.getLocalSteps()).batchSize(t.getBatchSize()).learningRate(t.getLearningRate())
                .proximalMu(t.getProximalMu()).seed(t.getSeed()).payloadKind(kind)
                .trainParts(new LinkedHashSet<>(t.getTrainPartsList()))
                .sendParts(new LinkedHashSet<>(t.getSendPartsList()))
                .persistParts(new LinkedHashSet<>(t.getPersistPartsList()))
                .resumeParts(new LinkedHashSet<>(t.getResumePartsList())).reportMmd(t.getReportMmd())
                .mmdSamples(t.getMmdSamples());
        t.getConfigMap().forEach(b::config);
        return b.build();
    }

    /**
     * The metrics of a wire map in the order the sender gave ({@code order}; names it does not list follow, sorted),
     * so that a deployed run's metric columns come in the simulation's order.
     */
    static Map<String, Double> ordered(Map<String, Double> metrics, List<String> order) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : order) {
            Double v = metrics.get(k);
            if (v != null) {
                m.put(k, v);
            }
        }
        new java.util.TreeMap<>(metrics).forEach(m::putIfAbsent);
        return m;
    }

    /** The layout (part name → length, in order) of a state. */
    public static Map<String, Long> layout(ModelState s) {
        Map<String, Long> m = new LinkedHashMap<>();
        s.parts().forEach((k, v) -> m.put(k, v.length()));
        return m;
    }

    static List<PartHeader> headers(Map<String, Long> layout) {
        return layout.entrySet().stream()
                .map(e -> PartHeader.newBuilder().setName(e.getKey()).setLength(e.getValue()).build()).toList();
    }

    static Map<String, Long> layout(List<PartHeader> headers) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (PartHeader h : headers) {
            m.put(h.getName(), h.getLength());
        }
        return m;
    }

    /** "UNAVAILABLE: io exception" for a log line: gRPC's own text of a status carries its cause's stack trace. */
    static String describe(io.grpc.Status s) {
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }

    /** "encoder[1234], decoder[5678]" for messages. */
    static String describe(Map<String, Long> layout) {
        StringBuilder sb = new StringBuilder();
        layout.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('[').append(v).append(']'));
        return sb.toString();
    }
}
