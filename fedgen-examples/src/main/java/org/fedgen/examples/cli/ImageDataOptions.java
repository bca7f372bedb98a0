package org.fedgen.examples.cli;

import java.nio.file.Path;
import org.fedgen.runs.ImageData;
import picocli.CommandLine.Option;

/**
 * Options choosing a run's own data ({@code --data-dir}, {@code --data}: images, or a CSV table by its extension);
 * none = the bundled digits.
 */
public final class ImageDataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = {"Train on your own images, one subfolder of DIR "
            + "per client (client ids follow", "the folder names in natural order: client-2 before client-10). A "
            + "client folder holds", "either IDX files (train-images-idx3-ubyte, optional train-labels-idx1-ubyte,",
            "eval-images-idx3-ubyte, eval-labels-idx1-ubyte, as fedgen split writes them) or PNG/JPEG",
            "images in class subfolders (labels from the sorted class names) or alone (unlabelled).",
            "Colour is converted to grayscale. See docs/data.md."})
    public Path dataDir;

    @Option(names = "--data", paramLabel = "FILE", description = {"Train on one pooled IDX image file [n, height, "
            + "width] (gz or plain), split", "into clients by --partition; the server holds out a seeded eighth.",
            "A FILE.csv is a table (with a header): VAE or MLP DDPM; writes samples.csv (same",
            "header and column types) and eval.json; without --partition-by the split is iid."})
    public Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX label file [n] for --data.")
    public Path labels;

    @Option(names = "--image-size", paramLabel = "HxW", description = {"Resize PNG/JPEG images of another size to "
            + "H x W (bilinear); without it", "all images must have the same size."})
    public String imageSize;

    /** The CSV table given as --data, or null. */
    Path table() {
        return data != null && data.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                ? data : null;
    }

    /** Whether own image data was chosen. */
    boolean given() {
        return dataDir != null || data != null && table() == null;
    }

    /**
     * The library's data source these options describe, or null for the bundled digits.
     *
     * @throws IllegalArgumentException naming a bad or conflicting option
     */
    ImageData toSettings() {
        if (!given()) {
            if (labels != null || imageSize != null) {
                throw new IllegalArgumentException((labels != null ? "--labels" : "--image-size")
                        + " applies only with --data-dir or --data");
            }
            return null;
        }
        if (dataDir != null && data != null) {
            // also for a table: one run trains on one data source
            throw new IllegalArgumentException("--data-dir " + dataDir + " and --data " + data + " cannot be combined:"
                    + " choose client folders or one pooled file");
        }
        int h = 0;
        int w = 0;
        if (imageSize != null) {
            String[] hw = imageSize.toLowerCase(java.util.Locale.ROOT).split("x", -1);
            try {
                if (hw.length != 2) {
                    throw new NumberFormatException();
                }
                h = Integer.parseInt(hw[0].trim());
                w = Integer.parseInt(hw[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--image-size must be HxW, e.g. 28x28, got '" + imageSize + "'");
            }
            if (h < 1 || w < 1) {
                throw new IllegalArgumentException("--image-size must be positive, got '" + imageSize + "'");
            }
        }
        ImageData d = dataDir != null ? ImageData.clientFolders(dataDir) : ImageData.pooledIdx(data, labels);
        return imageSize == null ? d : d.withFormat(1, h, w);
    }
}
