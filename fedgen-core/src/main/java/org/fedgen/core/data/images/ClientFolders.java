package org.fedgen.core.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.fedgen.core.data.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A natural partition: a folder with one subfolder per client, read in {@link NaturalOrder natural name order}
 * ({@code client-2} before {@code client-10}), so client id k is the k-th folder. Every client folder has one of two
 * layouts, the same for all clients:
 * <ul>
 *   <li>IDX: {@code train-images-idx3-ubyte} with optional {@code train-labels-idx1-ubyte}, and optional held-out
 *       {@code eval-images-idx3-ubyte} (with {@code eval-labels-idx1-ubyte} when the training data is labelled);
 *       each name may also end in {@code .gz};</li>
 *   <li>images: an {@link ImageFolder} (class subfolders of PNG/JPEG files, or the files alone). The class names of
 *       all clients are pooled and put in natural order as one label mapping, so a class has the same label at every client.</li>
 * </ul>
 * Every client's items must have the same shape. Names starting with a dot and plain files next to the client folders
 * (e.g. a {@code split.json}) are ignored.
 */
public final class ClientFolders {
    private static final Logger LOG = LoggerFactory.getLogger(ClientFolders.class);
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String EVAL_IMAGES = "eval-images-idx3-ubyte";
    static final String EVAL_LABELS = "eval-labels-idx1-ubyte";

    private ClientFolders() {
    }

    /**
     * The clients' data in client-id order.
     *
     * @param names   the client folder names, index = client id
     * @param train   each client's training examples
     * @param eval    each client's held-out examples from its eval files, or null where it has none
     * @param classes the label mapping of image-folder clients (label i is {@code classes.get(i)}); empty for IDX
     *                clients and unlabelled data
     */
    public record Clients(List<String> names, List<Dataset> train, List<Dataset> eval, List<String> classes) {
        /** @throws IllegalArgumentException if the lists differ in length */
        public Clients {
            names = List.copyOf(names);
            train = List.copyOf(train);
            eval = java.util.Collections.unmodifiableList(new ArrayList<>(eval));
            classes = List.copyOf(classes);
            if (train.size() != names.size() || eval.size() != names.size()) {
                throw new IllegalArgumentException("one name, training set and eval entry per client expected");
            }
        }

        /** The shape of one example, the same at every client. */
        public int[] itemShape() {
            return train.get(0).itemShape();
        }
    }

    /**
     * Reads every client folder of {@code dir}.
     *
     * @param format how image files are read (IDX files are read as they are)
     * @throws IOException              naming the file that cannot be read or decoded
     * @throws IllegalArgumentException naming the folder or file that breaks the layout: no client folders, mixed
     *                                  layouts, labelled and unlabelled clients mixed, items of different shapes, or
     *                                  any error of {@link IdxImages} or {@link ImageFolder}
     */
    public static Clients read(Path dir, ImageFormat format) throws IOException {
        List<Path> clients = clientFolders(dir);
        boolean idx = isIdx(clients.get(0));
        TreeSet<String> classes = new TreeSet<>(NaturalOrder.INSTANCE);
        for (Path c : clients) {
            if (isIdx(c) != idx) {
                throw new IllegalArgumentException(c + (idx ? " has no " + TRAIN_IMAGES + " but " : " has "
                        + TRAIN_IMAGES + " but ") + clients.get(0) + (idx ? " has" : " has none")
                        + ": every client folder needs the same layout (IDX files, or image folders)");
            }
            if (!idx) {
                classes.addAll(ImageFolder.classNames(c));
            }
        }
        List<String> vocabulary = List.copyOf(classes);
        List<String> names = new ArrayList<>();
        List<Dataset> train = new ArrayList<>();
        List<Dataset> eval = new ArrayList<>();
        for (Path c : clients) {
            names.add(c.getFileName().toString());
            if (idx) {
                Path labels = find(c, TRAIN_LABELS);
                train.add(IdxImages.read(find(c, TRAIN_IMAGES), labels));
                Path evalImages = find(c, EVAL_IMAGES);
                Path evalLabels = find(c, EVAL_LABELS);
                if (evalImages == null && evalLabels != null) {
                    throw new IllegalArgumentException(evalLabels + " has no " + EVAL_IMAGES + " beside it");
                }
                if (evalImages != null && (labels == null) != (evalLabels == null)) {
                    throw new IllegalArgumentException(c + ": " + (labels == null ? TRAIN_LABELS + " is missing but "
                            + EVAL_LABELS + " is there" : EVAL_LABELS + " is missing but " + TRAIN_LABELS
                            + " is there") + ": training and eval data must both be labelled or both not");
                }
                eval.add(evalImages == null ? null : IdxImages.read(evalImages, evalLabels));
            } else {
                if (!vocabulary.isEmpty() && ImageFolder.classNames(c).isEmpty()) {
                    throw new IllegalArgumentException(c + " has no class folders but other clients have "
                            + vocabulary + ": all clients must be labelled, or none");
                }
                train.add(ImageFolder.read(c, vocabulary, format));
                eval.add(null);
            }
            check(c, train.get(0), train.get(train.size() - 1), clients.get(0));
            if (eval.get(eval.size() - 1) != null) {
                check(c, train.get(0), eval.get(eval.size() - 1), clients.get(0));
            }
        }
        if (!vocabulary.isEmpty()) {
            LOG.info("{} clients in {}; labels from class folders: {}", clients.size(), dir, labelMapping(vocabulary));
        }
        return new Clients(names, train, eval, vocabulary);
    }

    /** "0=cat, 1=dog" for a log line. */
    private static String labelMapping(List<String> classes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < classes.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(i).append('=').append(classes.get(i));
        }
        return b.toString();
    }

    private static void check(Path client, Dataset first, Dataset d, Path firstClient) {
        if (!Arrays.equals(d.itemShape(), first.itemShape())) {
            throw new IllegalArgumentException(client + " has items of shape " + Arrays.toString(d.itemShape())
                    + " (channels, height, width) but " + firstClient + " has " + Arrays.toString(first.itemShape()));
        }
        if (d.hasLabels() != first.hasLabels()) {
            throw new IllegalArgumentException(client + (d.hasLabels() ? " is labelled but " : " is unlabelled but ")
                    + firstClient + (first.hasLabels() ? " is labelled" : " is not") + ": all clients must agree");
        }
    }

    private static boolean isIdx(Path client) {
        return find(client, TRAIN_IMAGES) != null;
    }

    /** The file {@code name} or {@code name.gz} in the folder, or null if neither exists. */
    private static Path find(Path folder, String name) {
        Path plain = folder.resolve(name);
        if (Files.exists(plain)) {
            return plain;
        }
        Path gz = folder.resolve(name + ".gz");
        return Files.exists(gz) ? gz : null;
    }

    private static List<Path> clientFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a folder");
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            folders = s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))
                    .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(),
                            b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new IOException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
        if (folders.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no client folders (one subfolder per client expected)");
        }
        return folders;
    }
}
