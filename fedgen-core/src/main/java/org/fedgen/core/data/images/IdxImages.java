package org.fedgen.core.data.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.IdxFormat;

/**
 * Images of any height × width from an IDX ubyte file of dims [n, h, w] (gzip or plain), with labels from an IDX
 * ubyte file of dims [n] or none. Pixels are scaled to [0, 1]; item shape [1, h, w].
 */
public final class IdxImages {
    private IdxImages() {
    }

    /**
     * Reads an image file and an optional label file (null for none).
     *
     * @throws IOException              naming the file if it cannot be read, has a bad magic number or is truncated
     * @throws IllegalArgumentException naming the file if the images are not of rank 3, or the labels not of rank 1
     *                                  with one label per image
     */
    public static Dataset read(Path images, Path labels) throws IOException {
        IdxFormat.UbyteArray img = IdxFormat.read(images);
        if (img.dims().length != 3 || img.dims()[1] < 1 || img.dims()[2] < 1) {
            throw new IllegalArgumentException(images + ": image IDX must have dims [n, height, width], got "
                    + Arrays.toString(img.dims()));
        }
        IdxFormat.UbyteArray lab = null;
        if (labels != null) {
            lab = IdxFormat.read(labels);
            if (lab.dims().length != 1 || lab.count() != img.count()) {
                throw new IllegalArgumentException(labels + ": label IDX must have dims [" + img.count()
                        + "], one label per image of " + images + ", got " + Arrays.toString(lab.dims()));
            }
        }
        return Digits.fromIdx(img, lab);
    }
}
