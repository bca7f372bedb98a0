package org.fedgen.core.data.images;

/**
 * How image files become pixels. Channels: 1 converts colour to grayscale by the ITU-R BT.601 luma
 * 0.299 R + 0.587 G + 0.114 B (a gray file is read as it is); 3 keeps RGB (a gray file gets its gray value in all
 * three channels). Alpha is ignored. Size: 0 × 0 keeps every file's own size, which must then be the same for all
 * files of a dataset; a positive height and width resize every file of another size to it by bilinear
 * interpolation (files of that size are read as they are). Pixels are scaled to [0, 1] by the file's maximum sample
 * value (255 for 8-bit files), laid out channel-first: item shape [channels, height, width].
 *
 * @param channels 1 (grayscale) or 3 (RGB)
 * @param height   target height in pixels, or 0 to keep the files' size
 * @param width    target width in pixels, or 0 to keep the files' size
 */
public record ImageFormat(int channels, int height, int width) {
    /** The largest side accepted, so that a typo cannot ask for a huge allocation. */
    public static final int MAX_SIDE = 4096;

    /** @throws IllegalArgumentException for channels other than 1 or 3, or a size that is not 0 × 0 or positive */
    public ImageFormat {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image channels must be 1 (grayscale) or 3 (RGB), got " + channels);
        }
        boolean keep = height == 0 && width == 0;
        if (!keep && (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE)) {
            throw new IllegalArgumentException("image size must be 0x0 (keep the files' size) or between 1 and "
                    + MAX_SIDE + " on each side, got " + height + "x" + width);
        }
    }

    /** Grayscale at the files' own size. */
    public static ImageFormat grayscale() {
        return new ImageFormat(1, 0, 0);
    }

    /** Whether images of another size are resized (a target size is set). */
    public boolean resizes() {
        return height > 0;
    }
}
