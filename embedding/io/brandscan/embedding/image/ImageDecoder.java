package io.brandscan.embedding.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns untrusted bytes into an upright TYPE_INT_RGB image, or refuses them with an
 * {@link ImageDecodeException} that names the {@link DecodeFailure reason}.
 *
 * <p>Owns the decoding policy: the format comes from the magic bytes; the header's dimensions
 * are checked against {@link DecodeLimits#maxPixels()} before any pixel is decoded (a 50 KB PNG
 * can declare 400 million pixels); large images are decoded with source subsampling; EXIF
 * orientation is applied (JPEG, PNG, WebP); alpha is flattened onto white (marketplace
 * backgrounds are white, so a transparent cut-out and its white-background copy look alike);
 * GIFs give their first frame; truncated data is refused rather than returned half grey.
 *
 * <p>Immutable and thread-safe: each call makes its own ImageReader. Decoding is blocking CPU
 * work: call it from a worker thread, never from an event loop.
 */
public final class ImageDecoder {
    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public static ImageDecoder withDefaults() {
        return new ImageDecoder(DecodeLimits.DEFAULTS);
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes an image. Throws {@link ImageDecodeException} with reason NOT_AN_IMAGE,
     * UNSUPPORTED_FORMAT, TOO_MANY_PIXELS, TOO_COMPLEX or CORRUPT; never returns null.
     */
    public DecodedImage decode(byte[] data) {
        Objects.requireNonNull(data, "data");
        ImageFormat format = ImageFormat.sniff(data);
        refuseTruncatedContainer(data, format);
        refuseScanBomb(data, format);
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt(format, "unreadable header", e);
            }
            if (width <= 0 || height <= 0) {
                throw new ImageDecodeException(DecodeFailure.CORRUPT,
                        format + " header declares " + width + "x" + height + " pixels");
            }
            long pixels = (long) width * height;
            if (pixels > limits.maxPixels()) {
                throw new ImageDecodeException(DecodeFailure.TOO_MANY_PIXELS, format + " header declares "
                        + width + "x" + height + " = " + pixels + " pixels, over the limit of "
                        + limits.maxPixels() + " (max_pixels)");
            }
            int subsampling = limits.subsamplingFor(width, height);
            ImageReadParam param = reader.getDefaultReadParam();
            if (subsampling > 1) {
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            }
            BufferedImage raw;
            try {
                raw = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                throw corrupt(format, "pixel data", e);
            }
            String truncation = truncationWarning(warnings);
            if (truncation != null) {
                throw new ImageDecodeException(DecodeFailure.CORRUPT, format + " data is incomplete: " + truncation);
            }
            BufferedImage rgb = flattenOntoWhite(raw);
            int orientation = ExifOrientation.read(data, format);
            BufferedImage upright = ExifOrientation.apply(rgb, orientation);
            return new DecodedImage(upright, format, width, height, subsampling, orientation);
        } catch (IOException e) {
            throw corrupt(format, "stream", e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageDecodeException corrupt(ImageFormat format, String what, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ImageDecodeException(DecodeFailure.CORRUPT, format + " " + what + " is damaged: " + detail, cause);
    }

    /**
     * The JDK's JPEG decoder (and TwelveMonkeys, which delegates to it) answers a truncated file
     * with a warning ("premature end of data segment") and a grey lower part. A partial image
     * would hash and embed as something else, so that is a failure. A file that only lacks its
     * final EOI marker ("Truncated File - Missing EOI marker" alone) has all its pixels and is
     * kept, as are other warnings (stray bytes between markers).
     */
    private static String truncationWarning(List<String> warnings) {
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("unexpected end")) {
                return w;
            }
        }
        return null;
    }

    /**
     * TwelveMonkeys' lossless WebP decoder returns a partly filled image for a truncated file
     * without complaint, but RIFF declares the file's size up front: check it before decoding.
     */
    private static void refuseTruncatedContainer(byte[] data, ImageFormat format) {
        if (format != ImageFormat.WEBP) {
            return;
        }
        long declared = data.length >= 8
                ? ((long) (data[7] & 0xFF) << 24 | (data[6] & 0xFF) << 16 | (data[5] & 0xFF) << 8 | (data[4] & 0xFF)) + 8
                : Long.MAX_VALUE;
        if (declared > data.length) {
            throw new ImageDecodeException(DecodeFailure.CORRUPT, "WEBP data is incomplete: RIFF header declares "
                    + declared + " bytes, got " + data.length);
        }
    }

    /**
     * Counts JPEG scans without parsing: inside entropy-coded data a 0xFF byte is always followed
     * by 0x00 or a restart marker, so every 0xFF 0xDA pair is a real start-of-scan marker.
     */
    private void refuseScanBomb(byte[] data, ImageFormat format) {
        if (format != ImageFormat.JPEG) {
            return;
        }
        int scans = 0;
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == (byte) 0xFF && data[i + 1] == (byte) 0xDA && ++scans > limits.maxJpegScans()) {
                throw new ImageDecodeException(DecodeFailure.TOO_COMPLEX, "JPEG has more than "
                        + limits.maxJpegScans() + " scans (max_jpeg_scans): each costs a pass over the whole image");
            }
        }
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader candidate = readers.next();
            // TwelveMonkeys' JPEG reader handles CMYK/YCCK and broken ICC profiles that the JDK's
            // own reader rejects; prefer it whatever order the service registry gives.
            if (chosen == null || candidate.getClass().getName().startsWith("com.twelvemonkeys")) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = candidate;
            } else {
                candidate.dispose();
            }
        }
        if (chosen == null) {
            throw new ImageDecodeException(DecodeFailure.UNSUPPORTED_FORMAT,
                    "no ImageIO reader for " + format + " on the classpath");
        }
        return chosen;
    }

    /** Copies any decoded image into TYPE_INT_RGB, compositing transparency over white. */
    static BufferedImage flattenOntoWhite(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        if (isPlainGrey(src)) {
            copyGrey(src.getRaster(), src.getColorModel().hasAlpha(), out);
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Java 2D treats grey PNGs as linear grey and brightens them when converting to sRGB; every
     * other tool (and the embedding model's training data) maps grey v to (v, v, v). Copy by hand.
     */
    private static boolean isPlainGrey(BufferedImage src) {
        Raster r = src.getRaster();
        int type = r.getDataBuffer().getDataType();
        return src.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT)
                && r.getNumBands() == (src.getColorModel().hasAlpha() ? 2 : 1)
                && src.getColorModel().getComponentSize(0) <= 16;
    }

    private static void copyGrey(Raster r, boolean alpha, BufferedImage out) {
        int w = r.getWidth();
        int h = r.getHeight();
        int bits = r.getSampleModel().getSampleSize(0);
        int max = (1 << bits) - 1;
        int alphaMax = alpha ? (1 << r.getSampleModel().getSampleSize(1)) - 1 : 1;
        int[] grey = new int[w];
        int[] a = alpha ? new int[w] : null;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, grey);
            if (alpha) {
                r.getSamples(0, y, w, 1, 1, a);
            }
            for (int x = 0; x < w; x++) {
                int v = (int) Math.round(grey[x] * 255.0 / max);
                if (alpha) {
                    double coverage = a[x] / (double) alphaMax;
                    v = (int) Math.round(v * coverage + 255 * (1 - coverage));
                }
                row[x] = v << 16 | v << 8 | v;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
    }
}
