package org.fedgen.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fedgen.core.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class MdGanTest {
    private static final int B = 8;

    private static GanConfig tiny(GanLoss loss, int classes) {
        return GanConfig.builder().dataDim(6).latentDim(3).generatorHidden(5, 4).discriminatorHidden(5, 4)
                .numClasses(classes).loss(loss).build();
    }

    private static List<MdGanClient> clients(GanConfig cfg, int k, int n) {
        int[] sizes = new int[k];
        java.util.Arrays.fill(sizes, n);
        return clients(cfg, sizes);
    }

    private static List<MdGanClient> clients(GanConfig cfg, int... sizes) {
        List<MdGanClient> out = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            int n = sizes[c];
            try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(100 + c)) {
                INDArray x = Nd4j.rand(r, n, 6).castTo(DataType.FLOAT);
                int[] y = new int[n];
                for (int i = 0; i < n; i++) {
                    y[i] = (i + c) % 3;
                }
                out.add(new MdGanClient(cfg, new Dataset(x, y, new int[] {6}), 1e-2, 200 + c));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /**
     * Issue acceptance: the generator gradient the server assembles from the clients' ∂L/∂x equals the gradient of
     * the same loss, Σ_k (n_k/N) L_G(D_k(G(z_k))), computed in one process with the clients' (updated)
     * discriminators; the clients hold 20, 12 and 28 examples, so the weights 1/3, 1/5, 7/15 are not uniform. Also
     * with PacGAN critics (pack 2 and 3), whose ∂L/∂x sums each example's share of every pack it is in.
     */
    @ParameterizedTest
    @CsvSource({"NON_SATURATING_BCE,0,1", "NON_SATURATING_BCE,3,1", "WGAN_GP,0,1", "WGAN_GP,3,1",
        "NON_SATURATING_BCE,0,2", "WGAN_GP,0,3"})
    void assembledGradientEqualsOneProcessGradient(GanLoss loss, int classes, int pack) {
        checkAssembledGradient(tiny(loss, classes).toBuilder().pack(pack).build(), false);
    }

    /**
     * Runs iteration 0's exchange for clients of 20, 12 and 28 examples (weights 1/3, 1/5, 7/15) and compares the
     * assembled gradient with Σ_k (n_k/N) ∇ L_G(D_k(G(z_k, g_k))) computed in one process, where g_k is client k's
     * labels, or its code k when {@code coded}.
     */
    private static GanNetworks checkAssembledGradient(GanConfig cfg, boolean coded) {
        List<MdGanClient> clients = clients(cfg, 20, 12, 28);
        double[] weight = {20.0 / 60, 12.0 / 60, 28.0 / 60};
        MdGanTrainer server = new MdGanTrainer(cfg, clients, B, 2, 0, 1e-2, 9);
        server.exchange(0);
        INDArray assembled = server.assembledGradient().dup();

        GanNetworks one = new GanNetworks(cfg, DataType.FLOAT);
        one.generator.params().assign(server.generator());
        INDArray expected = Nd4j.zeros(DataType.FLOAT, assembled.length());
        for (int k = 0; k < clients.size(); k++) {
            one.discriminator.params().assign(clients.get(k).exportDiscriminator());
            int[] code = new int[B];
            java.util.Arrays.fill(code, k);
            one.generatorGradient(server.latents(0, k), coded ? code : server.labels(0, k), 1.0 / B, false);
            expected.addi(one.generator.gradient().mul(weight[k]));
        }
        GanTest.assertClose(expected, assembled);
        one.discriminator.params().assign(clients.get(0).exportDiscriminator());
        return one;
    }

    /**
     * With client codes the server sends client k the batch G(z_k, k), and the assembled gradient is that of
     * Σ_k (n_k/N) L_G(D_k(G(z_k, k))) computed in one process; a mismatch between codes and clients is refused.
     */
    @ParameterizedTest
    @CsvSource({"NON_SATURATING_BCE,1", "WGAN_GP,1", "WGAN_GP,2"})
    void codedGeneratorGradientEqualsOneProcessGradient(GanLoss loss, int pack) {
        GanConfig cfg = tiny(loss, 0).toBuilder().pack(pack).sourceWeights(20, 12, 28).build();
        GanNetworks one = checkAssembledGradient(cfg, true);
        MdGanTrainer server = new MdGanTrainer(cfg, clients(cfg, 20, 12, 28), B, 2, 0, 1e-2, 9);
        // the code matters: client 0's term with code 1 is a different gradient
        int[] wrong = new int[B];
        java.util.Arrays.fill(wrong, 1);
        one.generatorGradient(server.latents(0, 0), wrong, 1.0 / B, false);
        INDArray other = one.generator.gradient().dup();
        int[] right = new int[B];
        one.generatorGradient(server.latents(0, 0), right, 1.0 / B, false);
        assertFalse(other.equalsWithEps(one.generator.gradient(), 1e-6));

        GanConfig four = tiny(loss, 0).toBuilder().sourceWeights(1, 1, 1, 1).build();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new MdGanTrainer(four, clients(four, 20, 12, 28), B, 2, 0, 1e-2, 9));
        assertTrue(e.getMessage().contains("4 codes, 3 clients"), e.getMessage());
    }

    @Test
    void countsBytesByDirectionAndSwapsDiscriminatorsAsAPermutation() {
        GanConfig cfg = tiny(GanLoss.NON_SATURATING_BCE, 3);
        List<MdGanClient> clients = clients(cfg, 4, 8);
        // n = 8, B = 8, L = 0 → an epoch is 1 iteration; E = 1 swaps after every iteration; L = 0 keeps the Ds fixed
        MdGanTrainer server = new MdGanTrainer(cfg, clients, B, 0, 1, 1e-2, 3);
        assertEquals(1, server.swapPeriod());
        List<float[]> before = new ArrayList<>();
        clients.forEach(c -> before.add(c.exportDiscriminator().toFloatVector()));
        MdGanIteration it = server.iterate();
        assertTrue(it.swapped());
        int dLen = before.get(0).length;
        int moved = 0;
        boolean[] used = new boolean[4];
        for (int k = 0; k < 4; k++) {
            float[] now = clients.get(k).exportDiscriminator().toFloatVector();
            int src = -1;
            for (int j = 0; j < 4; j++) {
                if (java.util.Arrays.equals(now, before.get(j))) {
                    src = j;
                }
            }
            assertTrue(src >= 0 && !used[src], "client " + k + " holds a discriminator that came from nowhere");
            used[src] = true;
            moved += src == k ? 0 : 1;
        }
        assertTrue(moved > 0);
        assertEquals(new MdGanTraffic(4L * (B * 6 * 4 + B * 4), 4L * (B * 6 * 4 + 16), (long) moved * dLen * 4),
                it.traffic());
        assertEquals(it.traffic(), server.totalTraffic());
    }

    @Test
    void iterationsAreDeterministicBySeedAndMoveTheGenerator() {
        GanConfig cfg = tiny(GanLoss.WGAN_GP, 0);
        float[][] result = new float[2][];
        for (int run = 0; run < 2; run++) {
            MdGanTrainer server = new MdGanTrainer(cfg, clients(cfg, 2, 16), B, 1, 1, 1e-2, 5);
            INDArray g0 = server.generator();
            for (int i = 0; i < 3; i++) {
                MdGanIteration it = server.iterate();
                assertEquals(i, it.iteration());
                assertTrue(Double.isFinite(it.generatorLoss()) && Double.isFinite(it.discriminatorLoss()));
            }
            assertFalse(g0.equals(server.generator()));
            result[run] = server.generator().toFloatVector();
        }
        assertArrayEquals(result[0], result[1], 0f);
    }
}
