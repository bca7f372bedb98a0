package org.fedgen.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.Digits;
import org.fedgen.core.data.IdxFormat;

/**
 * One client's data as {@code fedgen split} writes it: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code eval-images-idx3-ubyte}, {@code eval-labels-idx1-ubyte} in its folder.
 */
public final class ClientDataFiles {
    private ClientDataFiles() {
    }

    /**
     * Loads a client folder.
     *
     * @throws UncheckedIOException     naming the file that is missing or unreadable
     * @throws IllegalArgumentException naming the file whose contents are malformed, or if it has no training data
     */
    public static GrpcClientHost.ClientData load(Path dir) {
        Dataset train = read(dir, "train");
        if (train == null) {
            throw new IllegalArgumentException(dir + ": no training examples");
        }
        return new GrpcClientHost.ClientData(train, read(dir, "eval"));
    }

    private static Dataset read(Path dir, String prefix) {
        Path images = dir.resolve(prefix + "-images-idx3-ubyte");
        Path labels = dir.resolve(prefix + "-labels-idx1-ubyte");
        try {
            if (!Files.exists(images)) {
                throw new java.nio.file.NoSuchFileException(images.toString());
            }
            IdxFormat.UbyteArray img = IdxFormat.read(images);
            IdxFormat.UbyteArray lab = IdxFormat.read(labels);
            if (img.dims().length == 3 && img.dims()[0] == 0) {
                return null;
            }
            return Digits.fromIdx(img, lab);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(images + ": " + e.getMessage(), e);
        }
    }
}
