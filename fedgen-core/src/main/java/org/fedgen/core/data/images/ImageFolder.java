package org.fedgen.core.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.fedgen.core.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A folder of PNG or JPEG images as a {@link Dataset}. The folder holds either only class subfolders, each with the
 * image files of one class (labelled data: a class's label is its index among the class names in
 * {@linkplain NaturalOrder natural order}, so {@code 2} before {@code 10}), or
 * only image files (unlabelled data). Files are read in sorted name order; names starting with a dot are ignored;
 * any other file that does not end in {@code .png}, {@code .jpg} or {@code .jpeg} (any case) is refused, as are
 * folders nested in a class folder. Pixels follow the {@link ImageFormat}'s rule.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /**
     * The images of a folder with their class names.
     *
     * @param data    the images, item shape [channels, height, width], labelled if the folder has class subfolders
     * @param classes the class names in label order (label i is {@code classes.get(i)}); empty for unlabelled data
     */
    public record LabelledImages(Dataset data, List<String> classes) {
        /** @throws NullPointerException if a value is null */
        public LabelledImages {
            java.util.Objects.requireNonNull(data, "data");
            classes = List.copyOf(classes);
        }
    }

    /**
     * Reads a folder; labels come from its class subfolders, if it has them.
     *
     * @throws IOException              naming the file that cannot be read or decoded
     * @throws IllegalArgumentException naming the folder or file that breaks the layout: no images, an empty class
     *                                  folder, a file that is not an image, files and class folders mixed, images of
     *                                  different sizes without a target size
     */
    public static LabelledImages read(Path dir, ImageFormat format) throws IOException {
        List<String> classes = classNames(dir);
        return new LabelledImages(read(dir, classes, format), classes);
    }

    /**
     * The names of a folder's class subfolders in natural order; empty if it holds image files instead.
     *
     * @throws IOException              if the folder cannot be listed, naming it
     * @throws IllegalArgumentException naming the folder if it is empty or mixes image files and subfolders
     */
    public static List<String> classNames(Path dir) throws IOException {
        List<Path> entries = entries(dir);
        List<String> folders = new ArrayList<>();
        Path file = null;
        for (Path e : entries) {
            if (Files.isDirectory(e)) {
                folders.add(e.getFileName().toString());
            } else if (file == null) {
                file = e;
            }
        }
        if (!folders.isEmpty() && file != null) {
            throw new IllegalArgumentException(dir + " mixes image files (" + file.getFileName() + ") with class "
                    + "folders (" + folders.get(0) + "): put every image in a class folder, or use no class folders");
        }
        folders.sort(NaturalOrder.INSTANCE);
        return folders;
    }

    /**
     * Reads a folder whose class subfolders all appear in {@code vocabulary}, labelling each by its index there (so
     * that several folders, e.g. one per client, share one label mapping). An empty vocabulary reads a folder of
     * unlabelled image files.
     *
     * @throws IOException              naming the file that cannot be read or decoded
     * @throws IllegalArgumentException as for {@link #read(Path, ImageFormat)}, or naming a class folder that is not
     *                                  in the vocabulary
     */
    public static Dataset read(Path dir, List<String> vocabulary, ImageFormat format) throws IOException {
        List<String> classes = classNames(dir);
        if (vocabulary.isEmpty() != classes.isEmpty()) {
            throw new IllegalArgumentException(dir + (classes.isEmpty() ? " has no class folders but labelled data "
                    + "with classes " + vocabulary + " was expected" : " has class folders " + classes
                    + " but unlabelled image files were expected"));
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (classes.isEmpty()) {
            files.addAll(imageFiles(dir));
        } else {
            for (String c : classes) {
                int label = vocabulary.indexOf(c);
                if (label < 0) {
                    throw new IllegalArgumentException(dir.resolve(c) + ": class '" + c + "' is not one of "
                            + vocabulary);
                }
                List<Path> inClass = imageFiles(dir.resolve(c));
                if (inClass.isEmpty()) {
                    throw new IllegalArgumentException(dir.resolve(c) + ": class folder has no PNG or JPEG images");
                }
                files.addAll(inClass);
                inClass.forEach(f -> labels.add(label));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + ": folder has no PNG or JPEG images");
        }
        return decode(files, classes.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray(),
                format);
    }

    private static Dataset decode(List<Path> files, int[] labels, ImageFormat format) throws IOException {
        ImagePixels.Pixels first = ImagePixels.read(files.get(0), format);
        int d = first.values().length;
        float[] all = new float[Math.multiplyExact(files.size(), d)];
        System.arraycopy(first.values(), 0, all, 0, d);
        for (int i = 1; i < files.size(); i++) {
            ImagePixels.Pixels p = ImagePixels.read(files.get(i), format);
            if (p.height() != first.height() || p.width() != first.width()) {
                throw new IllegalArgumentException(files.get(i) + " is " + p.height() + "x" + p.width() + " (height x"
                        + " width) but " + files.get(0) + " is " + first.height() + "x" + first.width()
                        + ": give a target size to resize them all");
            }
            System.arraycopy(p.values(), 0, all, i * d, d);
        }
        return new Dataset(Nd4j.create(all, new long[] {files.size(), d}, DataType.FLOAT), labels,
                new int[] {format.channels(), first.height(), first.width()});
    }

    /** The image files of a folder in name order; anything else that is not hidden is refused. */
    private static List<Path> imageFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path e : entries(dir)) {
            if (Files.isDirectory(e)) {
                throw new IllegalArgumentException(e + ": a folder inside a class folder is not supported");
            }
            String name = e.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!(name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"))) {
                throw new IllegalArgumentException(e + ": not a .png, .jpg or .jpeg file");
            }
            files.add(e);
        }
        return files;
    }

    /** The non-hidden entries of a folder, sorted by name. */
    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            if (entries.isEmpty()) {
                throw new IllegalArgumentException(dir + ": folder is empty");
            }
            return entries;
        } catch (IOException e) {
            throw new IOException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }
}
