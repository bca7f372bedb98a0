package org.fedgen.runs;

import static org.fedgen.core.util.Checks.require;

import java.util.Arrays;
import java.util.List;
import org.fedgen.core.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a configuration with its own image data to the data it read, so that what a run records is what it did: the
 * image size the data have, the number of client folders as the number of clients, the VAE's input dimension
 * channels · height · width, and no digit-classifier metrics (FID, precision/recall, coverage, conditional accuracy)
 * unless the items are 28 × 28 grayscale. Refuses what the data cannot support, naming it.
 */
final class DataFit {
    private static final Logger LOG = LoggerFactory.getLogger(DataFit.class);
    /** The item shape the digits classifier and the backdoor pattern are made for. */
    static final int[] DIGITS_SHAPE = {1, 28, 28};
    /** Classes of the conditional models. */
    private static final int CLASSES = 10;

    private DataFit() {
    }

    /**
     * The configuration fitted to data whose clients hold {@code train}; {@code o} itself for the bundled digits.
     *
     * @throws IllegalArgumentException naming the setting the data cannot support
     */
    static RunConfig fit(RunConfig o, List<Dataset> train) {
        ImageData images = o.images();
        if (images == null) {
            return o;
        }
        int[] shape = train.get(0).itemShape();
        String data = images.natural() ? images.clientsDir().toString() : images.file().toString();
        require(shape.length == 3 && shape[0] == 1, data + ": items of shape " + Arrays.toString(shape)
                + " (channels, height, width): runs train on grayscale images only (their sample grids and IDX files "
                + "are grayscale); read RGB files with 1 channel");
        require(!images.format().resizes() || (shape[1] == images.height() && shape[2] == images.width()), data
                + ": IDX images are " + shape[1] + "x" + shape[2] + " and are not resized (the target size "
                + images.height() + "x" + images.width() + " applies to PNG/JPEG files)");
        boolean labelled = train.get(0).hasLabels();
        int maxLabel = -1;
        for (Dataset d : train) {
            for (int i = 0; labelled && i < d.size(); i++) {
                maxLabel = Math.max(maxLabel, d.label(i));
            }
        }
        boolean conditional = conditional(o.model());
        require(!conditional || labelled, "--conditional needs labelled data, and " + data + " has no labels");
        require(!conditional || maxLabel < CLASSES, "--conditional models have " + CLASSES + " classes, but " + data
                + " has label " + maxLabel);
        boolean digitsShape = Arrays.equals(shape, DIGITS_SHAPE);
        require(digitsShape || o.robust().attack() != AttackKind.backdoor, "--attack backdoor stamps a pattern on "
                + "28x28 images, and " + data + " holds " + shape[1] + "x" + shape[2] + " images");
        RunConfig.Builder b = o.toBuilder().images(images.withFormat(shape[0], shape[1], shape[2]));
        if (images.natural() && o.clients() != train.size()) {
            LOG.info("{} client folders in {}: the run has {} clients", train.size(), data, train.size());
            b.clients(train.size());
        }
        int dim = shape[0] * shape[1] * shape[2];
        if (o.model() instanceof VaeSettings v && v.config().inputDim() != dim) {
            b.model(new VaeSettings(v.config().toBuilder().inputDim(dim).build()));
        }
        if (!digitsShape && o.qualitySamples() > 0) {
            LOG.info("sample quality metrics (FID, precision/recall, coverage, conditional accuracy) skipped: they use "
                    + "the digits classifier, made for 28x28 grayscale digits, and {} holds {}x{} images", data,
                    shape[1], shape[2]);
            b.qualitySamples(0);
        }
        return b.build();
    }

    /** The item shape [channels, height, width] of a fitted configuration's data: the digits' without own data. */
    static int[] itemShape(RunConfig o) {
        ImageData images = o.images();
        return images == null ? DIGITS_SHAPE.clone() : new int[] {images.channels(), images.height(), images.width()};
    }

    private static boolean conditional(ModelSettings m) {
        return FederatedRun.conditional(m) || m instanceof VaeSettings v && v.config().numClasses() > 0;
    }
}
