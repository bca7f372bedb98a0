package org.fedgen.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedgen.core.ClientUpdate;
import org.fedgen.core.ModelState;
import org.fedgen.core.PayloadKind;
import org.fedgen.core.RoundContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small builders shared by the privacy tests. */
final class Fixtures {
    private Fixtures() {
    }

    static INDArray vec(float... v) {
        return Nd4j.createFromArray(v);
    }

    static ModelState state(Object... nameThenVector) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenVector.length; i += 2) {
            m.put((String) nameThenVector[i], (INDArray) nameThenVector[i + 1]);
        }
        return ModelState.of(0, m);
    }

    static ClientUpdate update(int id, long n, PayloadKind kind, Object... nameThenVector) {
        return new ClientUpdate(id, 1, n, kind, state(nameThenVector).parts(), Map.of());
    }

    static RoundContext context(long seed, double expectedClients) {
        return new RoundContext(1, seed, 100, expectedClients, List.of());
    }

    /** Population standard deviation of a − b in double precision. */
    static double stdOfDifference(INDArray a, INDArray b) {
        float[] x = a.toFloatVector();
        float[] y = b.toFloatVector();
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            sum += d;
            sq += d * d;
        }
        double mean = sum / x.length;
        return Math.sqrt(sq / x.length - mean * mean);
    }

    static double meanOfDifference(INDArray a, INDArray b) {
        float[] x = a.toFloatVector();
        float[] y = b.toFloatVector();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (double) x[i] - y[i];
        }
        return sum / x.length;
    }
}
