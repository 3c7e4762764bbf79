package io.brandscan.embedding.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** The test images and the ways tests derive copies of them, written out in plain code. */
final class TestImages {
    static final List<String> ORIGINALS = List.of("astronaut.png", "brick.png", "camera.png", "chelsea.png",
            "coffee.png", "coins.png", "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "rocket.jpg");

    private TestImages() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = TestImages.class.getResourceAsStream("/images/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /images/" + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage decoded(String resource) {
        return ImageDecoder.withDefaults().decode(bytes(resource)).image();
    }

    static byte[] jpeg(BufferedImage image, float quality, boolean progressive) {
        return writeJpeg(new IIOImage(toRgb(image), null, null), quality, progressive);
    }

    /**
     * A CMYK JPEG the way Photoshop writes them: four channels, inverted (255 = no ink), which
     * is what an Adobe APP14 marker announces and what readers expect.
     */
    static byte[] cmykJpeg(BufferedImage image, float quality) {
        int w = image.getWidth();
        int h = image.getHeight();
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                double r = (rgb >> 16 & 0xFF) / 255.0;
                double g = (rgb >> 8 & 0xFF) / 255.0;
                double b = (rgb & 0xFF) / 255.0;
                double k = 1 - Math.max(r, Math.max(g, b));
                double c = k >= 1 ? 0 : (1 - r - k) / (1 - k);
                double m = k >= 1 ? 0 : (1 - g - k) / (1 - k);
                double yy = k >= 1 ? 0 : (1 - b - k) / (1 - k);
                px[0] = 255 - (int) Math.round(c * 255);
                px[1] = 255 - (int) Math.round(m * 255);
                px[2] = 255 - (int) Math.round(yy * 255);
                px[3] = 255 - (int) Math.round(k * 255);
                cmyk.setPixel(x, y, px);
            }
        }
        byte[] plain = writeJpeg(new IIOImage(cmyk, null, null), quality, false);
        // Adobe APP14, transform 0: "these four channels are CMYK, stored inverted".
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return splice(plain, 2, adobe);
    }

    /**
     * A YCCK JPEG as Photoshop writes CMYK with colour transform: the ink amounts C, M, Y go
     * through the YCbCr matrix as if they were R, G, B, and K is stored inverted (255 = no
     * black), announced by an Adobe APP14 marker with transform 2. This is libjpeg's
     * ycck_cmyk_convert read backwards.
     */
    static byte[] ycckJpeg(BufferedImage image, float quality) {
        int w = image.getWidth();
        int h = image.getHeight();
        WritableRaster ycck = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                double r = (rgb >> 16 & 0xFF) / 255.0;
                double g = (rgb >> 8 & 0xFF) / 255.0;
                double b = (rgb & 0xFF) / 255.0;
                double k = 1 - Math.max(r, Math.max(g, b));
                double c = k >= 1 ? 0 : (1 - r - k) / (1 - k) * 255;
                double m = k >= 1 ? 0 : (1 - g - k) / (1 - k) * 255;
                double yy = k >= 1 ? 0 : (1 - b - k) / (1 - k) * 255;
                px[0] = clamp(0.299 * c + 0.587 * m + 0.114 * yy);
                px[1] = clamp(-0.168736 * c - 0.331264 * m + 0.5 * yy + 128);
                px[2] = clamp(0.5 * c - 0.418688 * m - 0.081312 * yy + 128);
                px[3] = clamp(255 - k * 255);
                ycck.setPixel(x, y, px);
            }
        }
        byte[] plain = writeJpeg(new IIOImage(ycck, null, null), quality, false);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 2};
        return splice(plain, 2, adobe);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static byte[] writeJpeg(IIOImage image, float quality, boolean progressive) {
        ImageWriter writer = jdkJpegWriter();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                if (progressive) {
                    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
                }
                writer.write(null, image, param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter fallback = null;
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (w.getClass().getName().startsWith("com.sun.imageio")) {
                return w;
            }
            fallback = w;
        }
        return fallback;
    }

    static byte[] write(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JPEG with an EXIF APP1 segment carrying only the orientation tag, after SOI/APP0. */
    static byte[] withJpegOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        byte[] tiff = tiffWithOrientation(orientation, littleEndian);
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length));
        app1.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        int insertAt = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) { // keep JFIF APP0 first
            insertAt = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        return splice(jpeg, insertAt, app1.array());
    }

    /** The PNG with an eXIf chunk carrying the orientation tag, right after IHDR. */
    static byte[] withPngOrientation(byte[] png, int orientation) {
        byte[] tiff = tiffWithOrientation(orientation, false);
        return splice(png, 8 + 8 + 13 + 4, pngChunk("eXIf", tiff));
    }

    static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        chunk.putInt(data.length).put(typeBytes).put(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    static byte[] tiffWithOrientation(int orientation, boolean littleEndian) {
        ByteBuffer t = ByteBuffer.allocate(8 + 2 + 12 + 4);
        t.order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        t.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        t.putShort((short) 42).putInt(8);
        t.putShort((short) 1);
        t.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        t.putInt(0);
        return t.array();
    }

    static byte[] splice(byte[] data, int at, byte[] insert) {
        byte[] out = new byte[data.length + insert.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at, out, at + insert.length, data.length - at);
        return out;
    }

    static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    /** A smooth resize (bicubic with area steps), as a marketplace thumbnailer would do. */
    static BufferedImage resize(BufferedImage image, int width, int height) {
        java.awt.Image scaled = image.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        return out;
    }

    static BufferedImage mirror(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, y, image.getRGB(x, y));
            }
        }
        return out;
    }

    /** The image centred on a canvas of the given colour, {@code fraction} of its size added on each side. */
    static BufferedImage pad(BufferedImage image, double fraction, Color colour) {
        int dx = (int) Math.round(image.getWidth() * fraction);
        int dy = (int) Math.round(image.getHeight() * fraction);
        return padPixels(image, dx, dy, dx, dy, colour);
    }

    static BufferedImage padPixels(BufferedImage image, int left, int top, int right, int bottom, Color colour) {
        BufferedImage out = new BufferedImage(image.getWidth() + left + right, image.getHeight() + top + bottom,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(image, left, top, null);
        g.dispose();
        return out;
    }

    /** Keeps the central part: {@code fraction} of width and height removed, split evenly. */
    static BufferedImage centreCrop(BufferedImage image, double fraction) {
        int w = image.getWidth();
        int h = image.getHeight();
        int dx = (int) Math.round(w * fraction / 2);
        int dy = (int) Math.round(h * fraction / 2);
        return copy(image.getSubimage(dx, dy, w - 2 * dx, h - 2 * dy));
    }

    /** Removes {@code fraction} of width and height from the right and bottom only. */
    static BufferedImage cornerCrop(BufferedImage image, double fraction) {
        int w = image.getWidth();
        int h = image.getHeight();
        return copy(image.getSubimage(0, 0, (int) Math.round(w * (1 - fraction)), (int) Math.round(h * (1 - fraction))));
    }

    static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }
}
