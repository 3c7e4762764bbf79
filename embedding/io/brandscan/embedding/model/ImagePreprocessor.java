package io.brandscan.embedding.model;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/**
 * Turns decoded images into the float tensor a {@link EmbeddingModelSpec} describes: resize to the
 * input size, order the colour channels, normalise, and lay the values out as NCHW or NHWC.
 *
 * <p>Resizing stretches to the input size (no crop: a border logo or a corner watermark may be the
 * evidence) with progressive bilinear interpolation: bilinear, because that is how MobileNet-style
 * models were fed during training (TensorFlow's {@code resize_bilinear}); progressive (halve while
 * the image is more than twice the target, then one last bilinear step), because a single bilinear
 * step from a large photo samples only 4 pixels per output pixel and aliases, which would make an
 * original and its 50% copy land on visibly different tensors. Halving steps average like an area
 * filter at a fraction of its cost. Transparent pixels are drawn onto white, as the decoder does.
 *
 * <p>Stateless apart from the spec; safe to share between threads.
 */
public final class ImagePreprocessor {

    private final EmbeddingModelSpec spec;
    private final int width;
    private final int height;
    // value = pixel * gain[c] + offset[c], i.e. (pixel * scale - mean) / std folded into one multiply-add
    private final float[] gain = new float[3];
    private final float[] offset = new float[3];
    // for model channel c, the bit shift of that colour in a packed 0xRRGGBB int
    private final int[] shift = new int[3];

    public ImagePreprocessor(EmbeddingModelSpec spec) {
        this.spec = spec;
        this.width = spec.inputWidth();
        this.height = spec.inputHeight();
        float[] mean = spec.mean();
        float[] std = spec.std();
        for (int c = 0; c < 3; c++) {
            gain[c] = spec.scale() / std[c];
            offset[c] = -mean[c] / std[c];
        }
        boolean rgb = spec.colourOrder() == EmbeddingModelSpec.ColourOrder.RGB;
        shift[0] = rgb ? 16 : 0;
        shift[1] = 8;
        shift[2] = rgb ? 0 : 16;
    }

    /** Floats per image: 3 x width x height. */
    public int valuesPerImage() {
        return 3 * width * height;
    }

    /** The tensor shape for a batch of {@code n} images, per the spec's channel layout. */
    public long[] shape(int n) {
        return spec.channelLayout() == EmbeddingModelSpec.ChannelLayout.NCHW
                ? new long[] {n, 3, height, width}
                : new long[] {n, height, width, 3};
    }

    /** A whole batch, images one after another, ready to wrap as a tensor of {@link #shape(int)}. */
    public float[] toTensor(List<BufferedImage> images) {
        float[] out = new float[images.size() * valuesPerImage()];
        for (int i = 0; i < images.size(); i++) {
            write(images.get(i), out, i * valuesPerImage());
        }
        return out;
    }

    /** Writes one image's {@link #valuesPerImage()} floats into {@code out} starting at {@code offsetInOut}. */
    public void write(BufferedImage image, float[] out, int offsetInOut) {
        int[] pixels = resizedPixels(image);
        int plane = width * height;
        if (spec.channelLayout() == EmbeddingModelSpec.ChannelLayout.NCHW) {
            for (int c = 0; c < 3; c++) {
                int s = shift[c];
                float g = gain[c];
                float o = offset[c];
                int base = offsetInOut + c * plane;
                for (int p = 0; p < plane; p++) {
                    out[base + p] = ((pixels[p] >>> s) & 0xff) * g + o;
                }
            }
        } else {
            int k = offsetInOut;
            for (int p = 0; p < plane; p++) {
                int px = pixels[p];
                for (int c = 0; c < 3; c++) {
                    out[k++] = ((px >>> shift[c]) & 0xff) * gain[c] + offset[c];
                }
            }
        }
    }

    /** Packed 0xRRGGBB pixels of the image at the input size, row-major. */
    int[] resizedPixels(BufferedImage image) {
        return ((DataBufferInt) resize(image).getRaster().getDataBuffer()).getData();
    }

    /**
     * The image at the model's input size as a packed RGB image, resized as described above; the
     * image itself when it already is one (then {@link #write} skips resizing).
     */
    public BufferedImage resize(BufferedImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image is null");
        }
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        // Halve while more than twice the target in both directions (see the class comment).
        while (w >= 2 * width && h >= 2 * height) {
            w = Math.max(width, w / 2);
            h = Math.max(height, h / 2);
            current = draw(current, w, h);
        }
        // Reuse the pixels as they are only when they are exactly a packed, unshared width x height
        // RGB buffer (a sub-image shares a bigger buffer with offsets).
        if (current.getWidth() != width || current.getHeight() != height
                || current.getType() != BufferedImage.TYPE_INT_RGB
                || current.getRaster().getParent() != null
                || current.getRaster().getDataBuffer().getSize() != width * height) {
            current = draw(current, width, height);
        }
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int w, int h) {
        BufferedImage target = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (source.getColorModel().hasAlpha()) {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, w, h);
            }
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
