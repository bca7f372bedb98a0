package org.fedgen.models.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Lit pixels where real images are dark ("dust", the speckle of a diffusion model's background). The background is
 * the set of pixels that are dark (value &le; {@value #LIT}) in at least {@value #DARK_PERCENT} % of the reference
 * images; the dust of a set of images is the fraction of (image, background pixel) pairs whose value exceeds
 * {@value #LIT}. {@link #ratio} divides it by the reference images' own dust, so 1 means "as clean as real digits".
 *
 * <p>A reference image helped choose the background it would be measured on, which makes its own dust look smaller
 * than a fresh real image's (every background pixel is lit in at most 1 % of the reference by construction). The
 * reference dust is therefore leave-one-out: image i is measured on the background chosen by the other N − 1 images.
 */
public final class BackgroundDust {
    /**
     * A pixel is lit above this value and dark at or below it (images on the scale [0, 1]). Low, because a diffusion
     * model's speckle is mostly faint grey dots (0.1 to 0.25) that stay visible on a black background.
     */
    public static final double LIT = 0.1;
    /** Images are float32: compared in float, a stored 0.1f is dark as documented. */
    private static final float LIT_FLOAT = (float) LIT;
    /** A pixel is background when it is dark in at least this percentage of the reference images. */
    public static final int DARK_PERCENT = 99;

    private final boolean[] background;
    private final int backgroundPixels;
    private final double referenceDust;

    private BackgroundDust(boolean[] background, int backgroundPixels, double referenceDust) {
        this.background = background;
        this.backgroundPixels = backgroundPixels;
        this.referenceDust = referenceDust;
    }

    /**
     * The background of the reference images [N, d] on the scale [0, 1].
     *
     * @throws IllegalArgumentException if the reference is not a non-empty matrix
     */
    public static BackgroundDust of(INDArray reference) {
        float[][] x = matrix(reference, "reference images");
        int n = x.length;
        int d = x[0].length;
        int[] dark = new int[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                if (row[j] <= LIT_FLOAT) {
                    dark[j]++;
                }
            }
        }
        boolean[] background = new boolean[d];
        int count = 0;
        for (int j = 0; j < d; j++) {
            background[j] = isDarkEnough(dark[j], n);
            count += background[j] ? 1 : 0;
        }
        // leave-one-out: image i's own pixel leaves the dark count of the other n - 1 images
        long lit = 0;
        long pairs = 0;
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                boolean isLit = row[j] > LIT_FLOAT;
                if (n > 1 && isDarkEnough(dark[j] - (isLit ? 0 : 1), n - 1)) {
                    pairs++;
                    lit += isLit ? 1 : 0;
                }
            }
        }
        return new BackgroundDust(background, count, pairs == 0 ? 0.0 : (double) lit / pairs);
    }

    /** Dark in at least DARK_PERCENT % of n images; in integers, so exactly DARK_PERCENT % is not lost to rounding. */
    private static boolean isDarkEnough(int dark, int n) {
        return 100L * dark >= (long) DARK_PERCENT * n;
    }

    /** Number of background pixels. */
    public int backgroundPixels() {
        return backgroundPixels;
    }

    /** Whether pixel j is background. */
    public boolean isBackground(int j) {
        return background[j];
    }

    /** The reference images' own dust, each image measured on the background of the others. */
    public double referenceDust() {
        return referenceDust;
    }

    /**
     * The dust of images [M, d]: lit background pixels over M · (background pixels); 0 when there is no background.
     *
     * @throws IllegalArgumentException if the images are not a non-empty [M, d] matrix with the reference's d
     */
    public double dust(INDArray images) {
        return backgroundPixels == 0 ? 0.0 : litFraction(matrix(images, "images"));
    }

    /**
     * {@link #dust} divided by {@link #referenceDust}; NaN when the reference has no dust (tiny or synthetic
     * references), since no finite ratio then means anything.
     */
    public double ratio(INDArray images) {
        double d = dust(images);
        return referenceDust > 0 ? d / referenceDust : Double.NaN;
    }

    private double litFraction(float[][] x) {
        if (x[0].length != background.length) {
            throw new IllegalArgumentException("images have " + x[0].length + " pixels, the reference "
                    + background.length);
        }
        long lit = 0;
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                if (background[j] && row[j] > LIT_FLOAT) {
                    lit++;
                }
            }
        }
        return (double) lit / ((double) x.length * backgroundPixels);
    }

    private static float[][] matrix(INDArray a, String what) {
        Objects.requireNonNull(a, what);
        if (a.rank() != 2 || a.rows() < 1 || a.columns() < 1) {
            throw new IllegalArgumentException(what + " must be a non-empty [N, d] matrix, got shape "
                    + Arrays.toString(a.shape()));
        }
        return a.toFloatMatrix();
    }
}
