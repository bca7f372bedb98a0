package org.fedgen.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link Aggregator} that can fold updates into running sums one at a time, so the server can release each update
 * as soon as it is folded: a round then holds O(workers · model + aggregate) memory whatever the number of clients.
 *
 * <p>The server calls {@link #begin} once per round (also when no update will be accepted), {@link Fold#accept} for
 * every accepted update in ascending client-id order, then {@link Fold#finish}. Updates are validated and restricted
 * to this aggregator's parts exactly as for {@link #aggregate}. Unless {@link #streams()} is false, a fold must not
 * keep a reference to an update's payload once {@code accept} returns: the server closes those arrays right after.
 *
 * <p>Because sample weights n_k/n are only known once every update has arrived, a streaming fold may accumulate
 * unnormalised sums and divide at the end, so its float32 rounding may differ from {@link #aggregate}'s in the last
 * bits; each rule's javadoc says which. A run is reproducible bit for bit within one mode, for any worker count and
 * arrival order.
 */
public interface StreamingAggregator extends Aggregator {

    /**
     * Starts this round's fold.
     *
     * @param global  the current global state, restricted to this aggregator's parts
     * @param context the round's context, as {@link #aggregate} receives it
     */
    Fold begin(ModelState global, RoundContext context);

    /**
     * Whether folds release every update once accepted. False for adapters that buffer (rules that need every update
     * at once); the server then keeps the payloads until the round ends.
     */
    default boolean streams() {
        return true;
    }

    /** One round's running aggregate. */
    interface Fold {
        /** Folds one accepted update; updates arrive in ascending client-id order. */
        void accept(ClientUpdate update);

        /**
         * The new values of the parts the fold began with; called once, after the last {@link #accept}.
         *
         * @return a state with exactly the parts of the {@code global} given to {@link #begin}
         */
        ModelState finish();

        /** This fold with {@code then} applied to its result: how decorators post-process a streamed aggregate. */
        default Fold andThen(java.util.function.UnaryOperator<ModelState> then) {
            Fold self = this;
            return new Fold() {
                @Override
                public void accept(ClientUpdate update) {
                    self.accept(update);
                }

                @Override
                public ModelState finish() {
                    return then.apply(self.finish());
                }
            };
        }
    }

    /** Runs a whole fold over a list of updates: what the server computes when it streams the same updates. */
    static ModelState foldAll(StreamingAggregator aggregator, ModelState global, List<ClientUpdate> updates,
            RoundContext context) {
        Fold fold = aggregator.begin(global, context);
        for (ClientUpdate u : updates) {
            fold.accept(u);
        }
        return fold.finish();
    }

    /**
     * {@code aggregator} itself if it streams, else an adapter that buffers every update and calls
     * {@link Aggregator#aggregate} at the end (for rules that need all updates at once, e.g. a median).
     */
    static StreamingAggregator of(Aggregator aggregator) {
        Objects.requireNonNull(aggregator, "aggregator");
        return aggregator instanceof StreamingAggregator s ? s : new Buffering(aggregator);
    }

    /**
     * A fold that keeps every update and calls {@code aggregator.aggregate} at the end: what a rule whose
     * {@link #streams()} is false (for some settings) returns from {@link #begin}.
     */
    static Fold buffering(Aggregator aggregator, ModelState global, RoundContext context) {
        List<ClientUpdate> held = new ArrayList<>();
        return new Fold() {
            @Override
            public void accept(ClientUpdate update) {
                held.add(update);
            }

            @Override
            public ModelState finish() {
                return aggregator.aggregate(global, held, context);
            }
        };
    }

    /** Buffers the round's updates and aggregates them at the end; memory grows with clients per round. */
    final class Buffering implements StreamingAggregator {
        private final Aggregator inner;

        private Buffering(Aggregator inner) {
            this.inner = inner;
        }

        @Override
        public FitInstructions configureFit(FitInstructions instructions, ModelState global) {
            return inner.configureFit(instructions, global);
        }

        @Override
        public ModelState aggregate(ModelState global, List<ClientUpdate> updates, RoundContext context) {
            return inner.aggregate(global, updates, context);
        }

        @Override
        public Fold begin(ModelState global, RoundContext context) {
            return buffering(inner, global, context);
        }

        @Override
        public boolean streams() {
            return false;
        }

        @Override
        public String toString() {
            return "Buffering(" + inner + ")";
        }
    }
}
