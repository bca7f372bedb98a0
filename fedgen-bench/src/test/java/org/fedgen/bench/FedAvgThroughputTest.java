package org.fedgen.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class FedAvgThroughputTest {
    @Test
    void theOnePassLoopIsTheWeightedSumAcrossBlockBoundaries() {
        int p = 2048 * 2 + 3;
        float[][] x = new float[3][p];
        float[] expected = new float[p];
        for (int i = 0; i < p; i++) {
            x[0][i] = i;
            x[1][i] = 2;
            x[2][i] = -i;
            // 0.25 i + 0.5 * 2 + 0.25 (−i) = 1, exact in float for these magnitudes
            expected[i] = 1f;
        }
        float[] out = new float[p];
        java.util.Arrays.fill(out, 42f);
        FedAvgThroughput.onePass(x, new double[] {0.25, 0.5, 0.25}, out);
        assertArrayEquals(expected, out, 0f);
    }
}
