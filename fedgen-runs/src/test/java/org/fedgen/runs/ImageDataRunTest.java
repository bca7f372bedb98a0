package org.fedgen.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.IdxFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs on the user's own images: client folders and a pooled IDX file, of a size other than 28 × 28. */
class ImageDataRunTest {
    @TempDir
    Path dir;

    /** Digits [n, 28, 28] cropped to their centre 12 × 10 pixels, as IDX bytes. */
    private static byte[] cropped(Dataset digits, int from, int n) {
        byte[] b = new byte[n * 120];
        for (int i = 0; i < n; i++) {
            float[] px = digits.features().getRow(from + i).toFloatVector();
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 10; x++) {
                    b[i * 120 + y * 10 + x] = (byte) Math.round(px[(y + 8) * 28 + x + 9] * 255f);
                }
            }
        }
        return b;
    }

    private static byte[] labels(Dataset digits, int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) digits.label(from + i);
        }
        return b;
    }

    /** Three IDX client folders of 12 × 10 digits; client-1 also has eval files. */
    private Path idxClients() throws IOException {
        Dataset digits = Digits.bundled();
        Path root = dir.resolve("clients");
        for (int k = 0; k < 3; k++) {
            Path c = root.resolve("client-" + k);
            IdxFormat.write(c.resolve("train-images-idx3-ubyte"), new int[] {30, 12, 10}, cropped(digits, 40 * k, 30));
            IdxFormat.write(c.resolve("train-labels-idx1-ubyte"), new int[] {30}, labels(digits, 40 * k, 30));
            if (k == 1) {
                IdxFormat.write(c.resolve("eval-images-idx3-ubyte"), new int[] {5, 12, 10},
                        cropped(digits, 40 * k + 30, 5));
                IdxFormat.write(c.resolve("eval-labels-idx1-ubyte"), new int[] {5}, labels(digits, 40 * k + 30, 5));
            }
        }
        return root;
    }

    private RunConfig.Builder tiny(ModelSettings model, ImageData data, Path out) {
        return RunConfig.builder().model(model).images(data).rounds(2).localSteps(2).batchSize(8).workers(1)
                .evalEvery(1).samples(6).out(out);
    }

    static Stream<Arguments> families() {
        return Stream.of(Arguments.of("vae", VaeSettings.defaults(), "elbo"),
                Arguments.of("gan", GanSettings.builder().generatorSteps(1).build(), "d_loss"),
                Arguments.of("ddpm", DdpmSettings.builder().mlpWidth(8).mlpDepth(1).timesteps(21).ddimSteps(2)
                        .build(), "eps_loss"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void everyFamilyTrainsOnClientFoldersOfAnotherSize(String family, ModelSettings model, String metric)
            throws Exception {
        Path out = dir.resolve(family);
        new FederatedRun(tiny(model, ImageData.clientFolders(idxClients()), out).build()).run();
        IdxFormat.UbyteArray samples = IdxFormat.read(out.resolve("samples-idx3-ubyte"));
        assertArrayEquals(new int[] {6, 12, 10}, samples.dims());
        assertTrue(Files.exists(out.resolve("samples.png")));
        RunConfig recorded = RunConfigJson.read(Files.readString(out.resolve("config.json")), "config.json");
        assertEquals(3, recorded.clients(), "the client folders are the clients");
        assertEquals(new ImageData(dir.resolve("clients"), null, null, 1, 12, 10), recorded.images());
        assertEquals(0, recorded.qualitySamples(), "digit-classifier metrics do not apply to 12x10 images");
        if (recorded.model() instanceof VaeSettings v) {
            assertEquals(120, v.config().inputDim());
        }
        String header = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        assertFalse(header.contains("fid"), header);
        assertTrue(List.of(header.split(",")).stream().anyMatch(h -> h.contains(metric)), header);
    }

    @Test
    void heldOutDataAreTheEvalFilesOrASeededTenth() throws Exception {
        RunConfig o = tiny(VaeSettings.defaults(), ImageData.clientFolders(idxClients()), dir.resolve("s")).build();
        FederatedRun.Setup s = FederatedRun.setup(o);
        assertEquals(List.of(27, 30, 27), s.shards().stream().map(Dataset::size).toList());
        assertEquals(List.of(3, 5, 3), s.clientEval().stream().map(Dataset::size).toList());
        assertEquals(11, s.heldOut().size());
        assertTrue(s.heldOutFromClients());
        // the seeded tenth depends on the seed, the eval files do not
        FederatedRun.Setup other = FederatedRun.setup(o.toBuilder().seed(7).build());
        assertFalse(RunProvenance.fingerprint(s.shards(), s.clientEval())
                .equals(RunProvenance.fingerprint(other.shards(), other.clientEval())));
        assertEquals(s.clientEval().get(1).features(), other.clientEval().get(1).features());
    }

    @Test
    void pooledIdxFileIsPartitionedAndTheServerHoldsOutAnEighth() throws Exception {
        Dataset digits = Digits.bundled();
        Path img = dir.resolve("pool-images");
        Path lab = dir.resolve("pool-labels");
        IdxFormat.write(img, new int[] {80, 12, 10}, cropped(digits, 0, 80));
        IdxFormat.write(lab, new int[] {80}, labels(digits, 0, 80));
        RunConfig o = tiny(VaeSettings.defaults(), ImageData.pooledIdx(img, lab), dir.resolve("p")).clients(4)
                .partition(PartitionKind.iid).build();
        FederatedRun.Setup s = FederatedRun.setup(o);
        assertEquals(10, s.heldOut().size());
        assertEquals(70, s.shards().stream().mapToInt(Dataset::size).sum()
                + s.clientEval().stream().mapToInt(Dataset::size).sum());
        assertFalse(s.heldOutFromClients());
        assertEquals(4, s.config().clients());
        IllegalArgumentException unlabelled = assertThrows(IllegalArgumentException.class, () -> FederatedRun.setup(
                o.toBuilder().images(ImageData.pooledIdx(img, null)).partition(PartitionKind.dirichlet).build()));
        assertTrue(unlabelled.getMessage().startsWith("--partition dirichlet splits by label, and " + img
                + " has no labels"), unlabelled.getMessage());
    }

    @Test
    void aConfigFileMayGiveOnlyTheDataFolder() {
        RunConfig o = RunConfigJson.read("{\"images\": {\"clientsDir\": \"silos\"}}", "c.json");
        assertEquals(ImageData.clientFolders(Path.of("silos")), o.images());
        assertEquals(null, RunConfigJson.read("{}", "c.json").images());
    }

    @Test
    void resumeRefusesChangedData() throws Exception {
        Path clients = idxClients();
        Path out = dir.resolve("r");
        new FederatedRun(tiny(VaeSettings.defaults(), ImageData.clientFolders(clients), out).samples(0).build())
                .run();
        Path f = clients.resolve("client-2/train-images-idx3-ubyte");
        IdxFormat.UbyteArray a = IdxFormat.read(f);
        byte[] changed = a.data().clone();
        changed[0] ^= 1;
        IdxFormat.write(f, a.dims(), changed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FederatedRun.resume(out, 3).run());
        assertTrue(e.getMessage().contains("the run's data split"), e.getMessage());
    }

    @Test
    void unetRefusesOddSizesAndRgbIsRefused() throws Exception {
        Path clients = idxClients();
        IdxFormat.write(clients.resolve("client-0/train-images-idx3-ubyte"), new int[] {1, 3, 3}, new byte[9]);
        IdxFormat.write(clients.resolve("client-0/train-labels-idx1-ubyte"), new int[] {1}, new byte[1]);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> FederatedRun.setup(
                tiny(VaeSettings.defaults(), ImageData.clientFolders(clients), dir.resolve("x")).build()));
        assertTrue(shape.getMessage().contains("has items of shape [1, 12, 10]"), shape.getMessage());
        Path odd = dir.resolve("odd");
        IdxFormat.write(odd.resolve("c/train-images-idx3-ubyte"), new int[] {2, 3, 3}, new byte[18]);
        DdpmSettings unet = DdpmSettings.builder().denoiser(DdpmSettings.DenoiserKind.unet).timesteps(21).ddimSteps(2)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederatedRun.setup(
                tiny(unet, ImageData.clientFolders(odd), dir.resolve("y")).build()));
        assertTrue(e.getMessage().startsWith("--denoiser unet needs an even image height and width"),
                e.getMessage());
        Path png = dir.resolve("png/c/a.png");
        Files.createDirectories(png.getParent());
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", png.toFile());
        IllegalArgumentException rgb = assertThrows(IllegalArgumentException.class, () -> FederatedRun.setup(
                tiny(VaeSettings.defaults(), ImageData.clientFolders(dir.resolve("png")).withFormat(3, 0, 0),
                        dir.resolve("z")).build()));
        assertTrue(rgb.getMessage().contains("runs train on grayscale images only"), rgb.getMessage());
    }
}
