package org.fedgen.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.fedgen.core.aggregate.FedAvg;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** {@link FedAvg#aggregate} over {@code clients} weight updates of {@code params} float32 each. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FedAvgBenchmark {
    /** Clients per round. */
    @Param({"20"})
    public int clients;
    /** Parameters per client. */
    @Param({"652824"})
    public int params;

    private List<ClientUpdate> updates;
    private ModelState global;
    private RoundContext context;
    private final FedAvg fedAvg = new FedAvg();

    /** Random updates with 1 … clients examples each. */
    @Setup
    public void setUp() {
        updates = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            updates.add(new ClientUpdate(k, 1, k + 1, PayloadKind.WEIGHTS,
                    Map.of("w", Nd4j.rand(DataType.FLOAT, params)), Map.of()));
            ids.add(k);
        }
        global = ModelState.of(0, Map.of("w", Nd4j.zeros(DataType.FLOAT, params)));
        context = new RoundContext(1, 1, clients, clients, ids);
    }

    /** One aggregation. */
    @Benchmark
    public ModelState aggregate() {
        return fedAvg.aggregate(global, updates, context);
    }
}
