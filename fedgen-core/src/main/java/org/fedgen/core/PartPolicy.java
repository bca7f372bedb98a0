package org.fedgen.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Routes each part of the model to its own aggregator, or marks it local-only (trained by clients, never sent: e.g. a
 * DPD-fVAE encoder) or server-trained (never trained nor sent by clients: e.g. the DP-FedAvg-GAN generator, which a
 * {@link ServerStep} trains). Parts not named anywhere go to the default aggregator. A PartPolicy is itself an
 * {@link Aggregator}: each routed aggregator sees only its own parts. It streams when all its routes do.
 */
public final class PartPolicy implements StreamingAggregator {
    private final Map<String, Aggregator> routes;
    private final Aggregator defaultAggregator;
    private final Set<String> localOnly;
    private final Set<String> serverTrained;

    private PartPolicy(Builder b) {
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(b.routes));
        this.defaultAggregator = b.defaultAggregator;
        this.localOnly = Collections.unmodifiableSet(new LinkedHashSet<>(b.localOnly));
        this.serverTrained = Collections.unmodifiableSet(new LinkedHashSet<>(b.serverTrained));
    }

    /** A policy that sends every part to one aggregator. */
    public static PartPolicy all(Aggregator aggregator) {
        return builder().otherwise(aggregator).build();
    }

    /** A builder with no routes: add them, then {@code otherwise} or {@code build}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Explicit routes, part name → aggregator. */
    public Map<String, Aggregator> routes() {
        return routes;
    }

    /** The aggregator for parts without an explicit route; null if there is none. */
    public Aggregator defaultAggregator() {
        return defaultAggregator;
    }

    /** Parts that never leave the clients. */
    public Set<String> localOnly() {
        return localOnly;
    }

    /** Parts the server trains itself (clients neither train nor send them). */
    public Set<String> serverTrained() {
        return serverTrained;
    }

    /** The aggregator responsible for a part, or null for local-only and server-trained parts. */
    public Aggregator aggregatorFor(String part) {
        if (localOnly.contains(part) || serverTrained.contains(part)) {
            return null;
        }
        Aggregator a = routes.get(part);
        if (a == null) {
            a = defaultAggregator;
        }
        if (a == null) {
            throw new IllegalArgumentException("part '" + part + "' has no route and the policy has no default"
                    + " aggregator; routes are " + routes.keySet());
        }
        return a;
    }

    /** The parts clients send to the server under this policy, in the state's order. */
    public Set<String> sentParts(ModelState global) {
        Set<String> s = new LinkedHashSet<>();
        for (String p : global.partNames()) {
            if (aggregatorFor(p) != null) {
                s.add(p);
            }
        }
        return s;
    }

    /** Aggregators in first-use order, each with the parts of {@code global} routed to it. */
    public Map<Aggregator, List<String>> groups(ModelState global) {
        for (String named : names()) {
            global.part(named);
        }
        Map<Aggregator, List<String>> g = new IdentityHashMap<>();
        List<Aggregator> order = new ArrayList<>();
        for (String p : global.partNames()) {
            Aggregator a = aggregatorFor(p);
            if (a != null) {
                if (!g.containsKey(a)) {
                    order.add(a);
                    g.put(a, new ArrayList<>());
                }
                g.get(a).add(p);
            }
        }
        Map<Aggregator, List<String>> ordered = new java.util.LinkedHashMap<>();
        for (Aggregator a : order) {
            ordered.put(a, g.get(a));
        }
        return ordered;
    }

    private Set<String> names() {
        Set<String> s = new LinkedHashSet<>(routes.keySet());
        s.addAll(localOnly);
        s.addAll(serverTrained);
        return s;
    }

    @Override
    public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
        Set<String> train = new LinkedHashSet<>();
        for (String p : global.partNames()) {
            if (!serverTrained.contains(p) && instructions.trains(p)) {
                train.add(p);
            }
        }
        Set<String> persist = new LinkedHashSet<>(instructions.persistParts());
        persist.addAll(localOnly);
        Set<String> resume = new LinkedHashSet<>(instructions.resumeParts());
        resume.addAll(localOnly);
        FitInstructions ins = instructions.toBuilder().trainParts(train).sendParts(sentParts(global))
                .persistParts(persist).resumeParts(resume).build();
        PayloadKind kind = null;
        for (Map.Entry<Aggregator, List<String>> e : groups(global).entrySet()) {
            FitInstructions before = ins;
            ins = e.getKey().configureFit(ins, global.select(e.getValue()));
            if (ins.payloadKind() != before.payloadKind()) {
                if (kind != null && kind != ins.payloadKind()) {
                    throw new IllegalStateException("aggregators of this policy ask for different payload kinds: "
                            + kind + " and " + ins.payloadKind() + " (" + e.getKey() + ")");
                }
                kind = ins.payloadKind();
            }
        }
        return ins;
    }

    @Override
    public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
        Map<String, INDArray> out = new LinkedHashMap<>(global.parts());
        for (Map.Entry<Aggregator, List<String>> e : groups(global).entrySet()) {
            List<String> parts = e.getValue();
            List<ClientUpdate> sub = new ArrayList<>(updates.size());
            for (ClientUpdate u : updates) {
                sub.add(restrict(u, parts));
            }
            merge(out, e.getKey(), e.getKey().aggregate(global.select(parts), sub, context), global, parts);
        }
        return ModelState.of(global.round(), out);
    }

    /**
     * One fold per route, each fed the update restricted to its parts. Routes whose aggregator does not stream are
     * buffered (see {@link StreamingAggregator#of}).
     */
    @Override
    public Fold begin(ModelState global, RoundContext context) {
        Map<Aggregator, List<String>> groups = groups(global);
        List<Fold> folds = new ArrayList<>();
        for (Map.Entry<Aggregator, List<String>> e : groups.entrySet()) {
            folds.add(StreamingAggregator.of(e.getKey()).begin(global.select(e.getValue()), context));
        }
        return new Fold() {
            @Override
            public void accept(ClientUpdate update) {
                int i = 0;
                for (List<String> parts : groups.values()) {
                    folds.get(i++).accept(restrict(update, parts));
                }
            }

            @Override
            public ModelState finish() {
                Map<String, INDArray> out = new LinkedHashMap<>(global.parts());
                int i = 0;
                for (Map.Entry<Aggregator, List<String>> e : groups.entrySet()) {
                    merge(out, e.getKey(), folds.get(i++).finish(), global, e.getValue());
                }
                return ModelState.of(global.round(), out);
            }
        };
    }

    /** True when every routed aggregator streams. */
    @Override
    public boolean streams() {
        for (Aggregator a : aggregators()) {
            if (!StreamingAggregator.of(a).streams()) {
                return false;
            }
        }
        return true;
    }

    private static ClientUpdate restrict(ClientUpdate u, List<String> parts) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (String name : parts) {
            p.put(name, u.part(name));
        }
        for (String name : parts) {
            // a SCAFFOLD route reads its parts' control changes too
            INDArray control = u.parts().get(ControlParts.of(name));
            if (control != null) {
                p.put(ControlParts.of(name), control);
            }
        }
        return u.withParts(u.kind(), p);
    }

    private static void merge(Map<String, INDArray> out, Aggregator by, ModelState result, ModelState global,
            List<String> parts) {
        for (String name : parts) {
            INDArray v = result.part(name);
            if (v.length() != global.part(name).length()) {
                throw new IllegalStateException(by + " returned part '" + name + "' of length "
                        + v.length() + ", expected " + global.part(name).length());
            }
            out.put(name, v);
        }
    }

    /** State of every routed aggregator, keys prefixed by the aggregator's index in first-route order. */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        List<Aggregator> all = aggregators();
        for (int i = 0; i < all.size(); i++) {
            for (Map.Entry<String, INDArray> e : all.get(i).state().entrySet()) {
                s.put(i + "/" + e.getKey(), e.getValue());
            }
        }
        return s;
    }

    @Override
    public void restoreState(Map<String, INDArray> state) {
        List<Aggregator> all = aggregators();
        List<Map<String, INDArray>> per = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            per.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            int slash = e.getKey().indexOf('/');
            int idx = slash < 0 ? -1 : Integer.parseInt(e.getKey().substring(0, slash));
            if (idx < 0 || idx >= all.size()) {
                throw new IllegalArgumentException("state key '" + e.getKey() + "' names no aggregator of this policy");
            }
            per.get(idx).put(e.getKey().substring(slash + 1), e.getValue());
        }
        for (int i = 0; i < all.size(); i++) {
            all.get(i).restoreState(per.get(i));
        }
    }

    /** Distinct aggregators: explicit routes in order, then the default. */
    public List<Aggregator> aggregators() {
        List<Aggregator> all = new ArrayList<>();
        Set<Aggregator> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Aggregator a : routes.values()) {
            if (seen.add(a)) {
                all.add(a);
            }
        }
        if (defaultAggregator != null && seen.add(defaultAggregator)) {
            all.add(defaultAggregator);
        }
        return all;
    }

    @Override
    public String toString() {
        return "PartPolicy{routes=" + routes + ", default=" + defaultAggregator + ", localOnly=" + localOnly
                + ", serverTrained=" + serverTrained + '}';
    }

    /** Builds a {@link PartPolicy}; a part may be named once. */
    public static final class Builder {
        private final Map<String, Aggregator> routes = new LinkedHashMap<>();
        private Aggregator defaultAggregator;
        private final Set<String> localOnly = new LinkedHashSet<>();
        private final Set<String> serverTrained = new LinkedHashSet<>();

        private Builder() {
        }

        /** Routes the named parts to {@code aggregator}. */
        public Builder route(Aggregator aggregator, String... parts) {
            Objects.requireNonNull(aggregator, "aggregator");
            for (String p : parts) {
                claim(p);
                routes.put(p, aggregator);
            }
            return this;
        }

        /** The named parts stay on the clients: trained locally, never sent, never overwritten by the server. */
        public Builder localOnly(String... parts) {
            for (String p : parts) {
                claim(p);
                localOnly.add(p);
            }
            return this;
        }

        /** The named parts are trained by the server only (see {@link ServerStep}); clients neither train nor send. */
        public Builder serverTrained(String... parts) {
            for (String p : parts) {
                claim(p);
                serverTrained.add(p);
            }
            return this;
        }

        /** The aggregator for every part not named otherwise. */
        public Builder otherwise(Aggregator aggregator) {
            defaultAggregator = Objects.requireNonNull(aggregator, "aggregator");
            return this;
        }

        private void claim(String part) {
            if (routes.containsKey(part) || localOnly.contains(part) || serverTrained.contains(part)) {
                throw new IllegalArgumentException("part '" + part + "' is named twice in the policy");
            }
        }

        /** The policy, immutable. */
        public PartPolicy build() {
            return new PartPolicy(this);
        }
    }
}
