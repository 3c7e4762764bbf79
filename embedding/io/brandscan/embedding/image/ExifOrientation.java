package io.brandscan.embedding.image;

import java.awt.image.BufferedImage;

/**
 * The EXIF orientation tag (0x0112): where to find it in JPEG (APP1), PNG (eXIf) and WebP (EXIF
 * chunk) bytes, and how to turn stored pixels upright. Phone photos are stored sideways with
 * this tag; ignoring it makes a re-upload of the same photo look like a different image.
 *
 * <p>Reading never fails: missing, damaged or out-of-range metadata means orientation 1.
 */
final class ExifOrientation {
    static final int NORMAL = 1;
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {
    }

    /** The orientation 1..8 recorded in the file's EXIF, or 1 when there is none. */
    static int read(byte[] data, ImageFormat format) {
        try {
            return switch (format) {
                case JPEG -> fromJpeg(data);
                case PNG -> fromPng(data);
                case WEBP -> fromWebp(data);
                case GIF -> NORMAL;
            };
        } catch (RuntimeException malformed) {
            // Metadata is a hint, not the image: a broken EXIF block must not cost us the picture.
            return NORMAL;
        }
    }

    private static int fromJpeg(byte[] d) {
        int i = 2;
        while (i + 4 <= d.length) {
            if ((d[i] & 0xFF) != 0xFF) {
                return NORMAL;
            }
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan / end of image: metadata is over
                return NORMAL;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without length
                i += 2;
                continue;
            }
            int length = u16be(d, i + 2);
            int body = i + 4;
            int end = Math.min(d.length, i + 2 + length);
            if (marker == 0xE1 && ImageFormat.startsWith(d, body, 'E', 'x', 'i', 'f', 0, 0)) {
                return fromTiff(d, body + 6, end);
            }
            i += 2 + length;
        }
        return NORMAL;
    }

    private static int fromPng(byte[] d) {
        int i = 8;
        while (i + 8 <= d.length) {
            long length = u32be(d, i);
            int body = i + 8;
            if (length < 0 || body + length > d.length) {
                return NORMAL;
            }
            if (ImageFormat.startsWith(d, i + 4, 'e', 'X', 'I', 'f')) {
                return fromExifPayload(d, body, body + (int) length);
            }
            if (ImageFormat.startsWith(d, i + 4, 'I', 'E', 'N', 'D')) {
                return NORMAL;
            }
            i = body + (int) length + 4; // + CRC
        }
        return NORMAL;
    }

    private static int fromWebp(byte[] d) {
        int i = 12;
        while (i + 8 <= d.length) {
            long size = u32le(d, i + 4);
            int body = i + 8;
            if (size < 0 || body + size > d.length) {
                return NORMAL;
            }
            if (ImageFormat.startsWith(d, i, 'E', 'X', 'I', 'F')) {
                return fromExifPayload(d, body, body + (int) size);
            }
            i = body + (int) size + (int) (size & 1); // chunks are padded to even sizes
        }
        return NORMAL;
    }

    /** PNG and WebP carry bare TIFF data, though some writers keep the JPEG "Exif\0\0" prefix. */
    private static int fromExifPayload(byte[] d, int start, int end) {
        if (ImageFormat.startsWith(d, start, 'E', 'x', 'i', 'f', 0, 0)) {
            start += 6;
        }
        return fromTiff(d, start, end);
    }

    private static int fromTiff(byte[] d, int tiff, int end) {
        if (tiff + 8 > end) {
            return NORMAL;
        }
        boolean little;
        if (d[tiff] == 'I' && d[tiff + 1] == 'I') {
            little = true;
        } else if (d[tiff] == 'M' && d[tiff + 1] == 'M') {
            little = false;
        } else {
            return NORMAL;
        }
        if (u16(d, tiff + 2, little) != 42) {
            return NORMAL;
        }
        long ifd = u32(d, tiff + 4, little);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return NORMAL;
        }
        int entries = tiff + (int) ifd;
        int count = u16(d, entries, little);
        for (int k = 0; k < count; k++) {
            int e = entries + 2 + 12 * k;
            if (e + 12 > end) {
                return NORMAL;
            }
            if (u16(d, e, little) == TAG_ORIENTATION) {
                if (u16(d, e + 2, little) != TYPE_SHORT) {
                    return NORMAL;
                }
                int value = u16(d, e + 8, little);
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    /**
     * The upright image for pixels stored with this orientation. For 5..8 width and height swap.
     * Maps each output pixel to its stored pixel directly (no Graphics2D), so it is exact.
     */
    static BufferedImage apply(BufferedImage stored, int orientation) {
        if (orientation == NORMAL) {
            return stored;
        }
        int w = stored.getWidth();
        int h = stored.getHeight();
        int[] in = stored.getRGB(0, 0, w, h, null, 0, w);
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] out = new int[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }          // mirror horizontal
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // rotate 180
                    case 4 -> { sx = x; sy = h - 1 - y; }          // mirror vertical
                    case 5 -> { sx = y; sy = x; }                  // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }          // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transverse
                    case 8 -> { sx = w - 1 - y; sy = x; }          // rotate 90 counter-clockwise
                    default -> throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
                }
                out[y * ow + x] = in[sy * w + sx];
            }
        }
        BufferedImage upright = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        upright.setRGB(0, 0, ow, oh, out, 0, ow);
        return upright;
    }

    private static int u16(byte[] d, int i, boolean little) {
        return little ? (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 : u16be(d, i);
    }

    private static long u32(byte[] d, int i, boolean little) {
        return little ? u32le(d, i) : u32be(d, i);
    }

    private static int u16be(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }

    private static long u32be(byte[] d, int i) {
        return (long) (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
    }

    private static long u32le(byte[] d, int i) {
        return (long) (d[i + 3] & 0xFF) << 24 | (d[i + 2] & 0xFF) << 16 | (d[i + 1] & 0xFF) << 8 | (d[i] & 0xFF);
    }
}
