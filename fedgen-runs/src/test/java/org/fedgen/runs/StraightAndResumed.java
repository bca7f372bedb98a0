package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.fedgen.core.io.Checkpoint;

/**
 * One configuration run straight for {@code rounds} rounds and, in a second directory, for rounds − 1 then resumed to
 * rounds; {@link #assertSameBits} compares the two ends.
 *
 * @param half     the resumed run's checkpoint before it was resumed
 * @param straight the straight run's last checkpoint
 * @param resumed  the resumed run's last checkpoint
 */
record StraightAndResumed(Checkpoint half, Checkpoint straight, Checkpoint resumed) {
    static StraightAndResumed run(RunConfig.Builder config, Path dir, int rounds) throws Exception {
        new FederatedRun(config.rounds(rounds).out(dir.resolve("straight")).build()).run();
        new FederatedRun(config.rounds(rounds - 1).out(dir.resolve("resumed")).build()).run();
        Checkpoint half = TrainedModel.readFinite(dir.resolve("resumed").resolve(FederatedRun.CHECKPOINT));
        FederatedRun.resume(dir.resolve("resumed"), rounds).run();
        return new StraightAndResumed(half,
                TrainedModel.readFinite(dir.resolve("straight").resolve(FederatedRun.CHECKPOINT)),
                TrainedModel.readFinite(dir.resolve("resumed").resolve(FederatedRun.CHECKPOINT)));
    }

    /** Same round, every model part and every aggregator state entry byte for byte. */
    void assertSameBits() {
        assertEquals(straight.round(), resumed.round());
        for (String part : straight.model().partNames()) {
            assertArrayEquals(straight.model().part(part).data().asBytes(), resumed.model().part(part).data()
                    .asBytes(), part);
        }
        assertEquals(straight.aggregatorState().keySet(), resumed.aggregatorState().keySet());
        for (String k : straight.aggregatorState().keySet()) {
            assertArrayEquals(straight.aggregatorState().get(k).data().asBytes(), resumed.aggregatorState().get(k)
                    .data().asBytes(), k);
        }
    }
}
