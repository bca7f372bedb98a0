package org.fedgen.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.images.ClientFolders;
import org.fedgen.core.data.images.IdxImages;
import org.fedgen.core.data.images.ImageFormat;

/**
 * A run's own image data instead of the bundled digits: either a folder with one subfolder per client (a natural
 * partition, see {@link ClientFolders}) or one pooled IDX image file, with an optional IDX label file, that the run's
 * partitioner splits. Image files are read by the {@link ImageFormat} rule of {@code channels}, {@code height} and
 * {@code width}; a run records the size its data turned out to have (see {@link FederatedRun}).
 *
 * @param clientsDir the folder of client folders, or null for a pooled file
 * @param file       the pooled IDX image file, or null for client folders
 * @param labels     the pooled file's IDX label file, or null (unlabelled, or client folders)
 * @param channels   1 (grayscale) or 3 (RGB)
 * @param height     image height to resize PNG/JPEG files to, 0 to keep their size
 * @param width      image width to resize PNG/JPEG files to, 0 to keep their size
 */
public record ImageData(Path clientsDir, Path file, Path labels, int channels, int height, int width) {
    /** @throws IllegalArgumentException unless exactly one source is given, or for a bad channel count or size */
    public ImageData {
        if ((clientsDir == null) == (file == null)) {
            throw new IllegalArgumentException("image data needs exactly one of a client folder (--data-dir) and a "
                    + "pooled IDX file (--data)");
        }
        if (labels != null && file == null) {
            throw new IllegalArgumentException("a label file (--labels " + labels + ") goes with a pooled IDX file "
                    + "(--data); client folders hold their own labels");
        }
        new ImageFormat(channels, height, width);
    }

    /** Client folders under {@code dir}, grayscale at the files' own size. */
    public static ImageData clientFolders(Path dir) {
        return new ImageData(dir, null, null, 1, 0, 0);
    }

    /** A pooled IDX image file with an optional label file (null for none). */
    public static ImageData pooledIdx(Path images, Path labels) {
        return new ImageData(null, images, labels, 1, 0, 0);
    }

    /** These data read with another channel count and target size. */
    public ImageData withFormat(int channels, int height, int width) {
        return new ImageData(clientsDir, file, labels, channels, height, width);
    }

    /** The image-file rule of these data. */
    public ImageFormat format() {
        return new ImageFormat(channels, height, width);
    }

    /** Whether the data are client folders (a natural partition) rather than a pooled file. */
    public boolean natural() {
        return clientsDir != null;
    }

    /**
     * Reads the client folders.
     *
     * @throws UncheckedIOException naming the file that cannot be read
     */
    ClientFolders.Clients readClients() {
        try {
            return ClientFolders.read(clientsDir, format());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Reads the pooled file.
     *
     * @throws UncheckedIOException naming the file that cannot be read
     */
    Dataset readPooled() {
        try {
            return IdxImages.read(file, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
