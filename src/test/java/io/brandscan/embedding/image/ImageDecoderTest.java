package io.brandscan.embedding.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    private final ImageDecoder decoder = ImageDecoder.withDefaults();

    // ---- every format ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png",
            "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "rocket.jpg"})
    void decodesEachTestImageToUprightRgbAtItsOwnSize(String name) throws Exception {
        byte[] bytes = TestImages.bytes(name);
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(bytes));

        DecodedImage decoded = decoder.decode(bytes);

        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.image().getType());
        assertEquals(name.endsWith(".png") ? ImageFormat.PNG : ImageFormat.JPEG, decoded.format());
        assertEquals(reference.getWidth(), decoded.width());
        assertEquals(reference.getHeight(), decoded.height());
        assertEquals(reference.getWidth(), decoded.originalWidth());
        assertEquals(reference.getHeight(), decoded.originalHeight());
        assertEquals(1, decoded.subsampling());
        assertEquals(1, decoded.exifOrientation());
    }

    @Test
    void greyPngKeepsItsGreyLevelsInsteadOfJava2dsLinearGreyBrightening() throws Exception {
        byte[] bytes = TestImages.bytes("camera.png");
        BufferedImage raw = ImageIO.read(new ByteArrayInputStream(bytes));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, raw.getType(), "precondition: camera.png is 8-bit grey");

        BufferedImage decoded = decoder.decode(bytes).image();

        for (int[] p : new int[][] {{10, 10}, {256, 256}, {500, 30}, {3, 400}}) {
            int v = raw.getRaster().getSample(p[0], p[1], 0);
            assertEquals(v << 16 | v << 8 | v, decoded.getRGB(p[0], p[1]) & 0xFFFFFF, "pixel " + Arrays.toString(p));
        }
    }

    @Test
    void sixteenBitGreyPngScalesTo8Bits() {
        BufferedImage grey16 = new BufferedImage(40, 20, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 20; y++) {
                grey16.getRaster().setSample(x, y, 0, x < 20 ? 0xFFFF : 0x8080);
            }
        }
        BufferedImage decoded = decoder.decode(TestImages.write(grey16, "png")).image();
        assertEquals(0xFFFFFF, decoded.getRGB(5, 5) & 0xFFFFFF);
        assertEquals(0x808080, decoded.getRGB(30, 5) & 0xFFFFFF);
    }

    @Test
    void greyWithAlphaPngIsFlattenedOntoWhiteKeepingGreyLevels() {
        java.awt.color.ColorSpace grey = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
        java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(grey, true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(30, 10);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                raster.setPixel(x, y, x < 10 ? new int[] {60, 255} : x < 20 ? new int[] {0, 0} : new int[] {0, 128});
            }
        }
        BufferedImage greyAlpha = new BufferedImage(model, raster, false, null);

        BufferedImage decoded = decoder.decode(TestImages.write(greyAlpha, "png")).image();

        assertEquals(0x3C3C3C, decoded.getRGB(5, 5) & 0xFFFFFF, "opaque grey 60 stays 60");
        assertEquals(0xFFFFFF, decoded.getRGB(15, 5) & 0xFFFFFF, "transparent becomes white");
        int half = decoded.getRGB(25, 5) & 0xFF;
        assertTrue(Math.abs(half - 127) <= 1, "half transparent black over white is mid grey, got " + half);
    }

    @Test
    void baselineJpegDecodesCloseToItsSource() {
        BufferedImage source = TestImages.decoded("chelsea.png");
        byte[] jpeg = TestImages.jpeg(source, 0.9f, false);
        assertTrue(hasMarker(jpeg, 0xC0), "precondition: baseline SOF0");

        DecodedImage decoded = decoder.decode(jpeg);

        assertEquals(ImageFormat.JPEG, decoded.format());
        assertTrue(meanAbsDiff(source, decoded.image()) < 4, "mean diff " + meanAbsDiff(source, decoded.image()));
    }

    @Test
    void progressiveJpegDecodesCloseToItsSource() {
        BufferedImage source = TestImages.decoded("coffee.png");
        byte[] jpeg = TestImages.jpeg(source, 0.9f, true);
        assertTrue(hasMarker(jpeg, 0xC2), "precondition: progressive SOF2");

        DecodedImage decoded = decoder.decode(jpeg);

        assertTrue(meanAbsDiff(source, decoded.image()) < 4, "mean diff " + meanAbsDiff(source, decoded.image()));
    }

    @Test
    void cmykJpegWithAdobeMarkerDecodesToTheRightColours() {
        BufferedImage source = TestImages.decoded("coffee.png");
        byte[] jpeg = TestImages.cmykJpeg(source, 0.95f);
        assertEquals(4, sofComponents(jpeg), "precondition: four-channel JPEG");

        DecodedImage decoded = decoder.decode(jpeg);

        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.image().getType());
        // Measured about 1.1; an inverted or channel-swapped decode is off by ~100.
        double diff = meanAbsDiff(source, decoded.image());
        assertTrue(diff < 6, "mean diff " + diff);
    }

    @Test
    void ycckJpegDecodesToTheRightColours() {
        BufferedImage source = TestImages.decoded("astronaut.png");
        byte[] jpeg = TestImages.ycckJpeg(source, 0.95f);
        assertEquals(4, sofComponents(jpeg), "precondition: four-channel JPEG");

        BufferedImage decoded = decoder.decode(jpeg).image();

        double diff = meanAbsDiff(source, decoded);
        assertTrue(diff < 6, "measured about 1.3, mean diff " + diff);
    }

    @Test
    void gifDecodesItsFirstFrameOnly() throws Exception {
        BufferedImage red = solid(64, 48, Color.RED);
        BufferedImage blue = solid(64, 48, Color.BLUE);
        byte[] gif = animatedGif(red, blue);

        DecodedImage decoded = decoder.decode(gif);

        assertEquals(ImageFormat.GIF, decoded.format());
        assertEquals(64, decoded.width());
        assertEquals(0xFF0000, decoded.image().getRGB(10, 10) & 0xFFFFFF);
    }

    @Test
    void gifOfAPhotoDecodesCloseToItsSource() {
        BufferedImage source = TestImages.decoded("chelsea.png");
        BufferedImage decoded = decoder.decode(TestImages.write(source, "gif")).image();
        double diff = meanAbsDiff(source, decoded);
        assertTrue(diff < 20, "palette quantisation only, mean diff " + diff);
    }

    @Test
    void transparentGifAndPalettePngPixelsBecomeWhite() {
        byte[] r = {(byte) 200, 0};
        byte[] g = {20, 0};
        byte[] b = {30, 0};
        IndexColorModel palette = new IndexColorModel(1, 2, r, g, b, 1); // index 1 is transparent
        BufferedImage indexed = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                indexed.getRaster().setSample(x, y, 0, x < 20 ? 0 : 1);
            }
        }
        for (String format : new String[] {"gif", "png"}) {
            BufferedImage decoded = decoder.decode(TestImages.write(indexed, format)).image();
            assertEquals(0xC8141E, decoded.getRGB(5, 5) & 0xFFFFFF, format);
            assertEquals(0xFFFFFF, decoded.getRGB(35, 5) & 0xFFFFFF, format);
        }
    }

    @Test
    void pngAlphaIsFlattenedOntoWhite() {
        BufferedImage argb = new BufferedImage(30, 10, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                int pixel = x < 10 ? 0x00000000          // fully transparent black
                        : x < 20 ? 0x80000000            // half transparent black
                        : 0xFF1020F0;                    // opaque blue
                argb.setRGB(x, y, pixel);
            }
        }
        BufferedImage decoded = decoder.decode(TestImages.write(argb, "png")).image();

        assertEquals(0xFFFFFF, decoded.getRGB(5, 5) & 0xFFFFFF);
        int half = decoded.getRGB(15, 5) & 0xFF;
        assertTrue(Math.abs(half - 127) <= 1, "half transparent black over white is mid grey, got " + half);
        assertEquals(0x1020F0, decoded.getRGB(25, 5) & 0xFFFFFF);
    }

    @Test
    void lossyWebpDecodesCloseToItsSource() {
        DecodedImage decoded = decoder.decode(TestImages.bytes("derived/chelsea-q80.webp"));

        assertEquals(ImageFormat.WEBP, decoded.format());
        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.image().getType());
        double diff = meanAbsDiff(TestImages.decoded("chelsea.png"), decoded.image());
        assertTrue(diff < 6, "mean diff " + diff);
    }

    @Test
    void losslessWebpDecodesExactly() {
        DecodedImage decoded = decoder.decode(TestImages.bytes("derived/coins-lossless.webp"));
        assertEquals(0.0, meanAbsDiff(TestImages.decoded("coins.png"), decoded.image()));
    }

    @Test
    void webpAlphaIsFlattenedOntoWhite() {
        BufferedImage decoded = decoder.decode(TestImages.bytes("derived/red-disc-alpha.webp")).image();

        assertEquals(120, decoded.getWidth());
        assertEquals(80, decoded.getHeight());
        assertEquals(0xFFFFFF, decoded.getRGB(2, 2) & 0xFFFFFF, "transparent corner");
        assertEquals(0xFFFFFF, decoded.getRGB(117, 77) & 0xFFFFFF, "transparent corner");
        assertColourNear(new Color(200, 20, 30), decoded.getRGB(60, 40), 12, "opaque disc centre");
    }

    @Test
    void animatedWebpDecodesItsFirstFrame() {
        DecodedImage decoded = decoder.decode(TestImages.bytes("derived/animated-red-then-blue.webp"));

        assertEquals(64, decoded.width());
        assertEquals(48, decoded.height());
        assertEquals(0xFF0000, decoded.image().getRGB(32, 24) & 0xFFFFFF);
    }

    @Test
    void webpExifOrientationIsApplied() {
        DecodedImage decoded = decoder.decode(TestImages.bytes("derived/rocket-exif-orientation6.webp"));
        BufferedImage rocket = TestImages.decoded("rocket.jpg");

        assertEquals(6, decoded.exifOrientation());
        assertEquals(640, decoded.originalWidth());
        assertEquals(427, decoded.width());
        assertEquals(640, decoded.height());
        double diff = meanAbsDiff(rotateClockwise(rocket), decoded.image());
        assertTrue(diff < 8, "upright copy of rocket.jpg turned clockwise, mean diff " + diff);
    }

    // ---- EXIF orientation ---------------------------------------------------------------------

    /**
     * The picture as it must be shown: 80x40, red top-left, green top-right, blue bottom-left,
     * yellow bottom-right. For each orientation the stored corners are worked out by hand from
     * the EXIF definitions (e.g. 6 = "rotate 90 CW to show": the stored bottom-left is shown
     * top-left), so the test does not share the decoder's index arithmetic.
     */
    private static final Color R = Color.RED;
    private static final Color G = Color.GREEN;
    private static final Color B = Color.BLUE;
    private static final Color Y = Color.YELLOW;
    private static final Color[][] STORED_CORNERS = { // {TL, TR, BL, BR} of the stored image
            null,
            {R, G, B, Y}, // 1 normal
            {G, R, Y, B}, // 2 mirror horizontal
            {Y, B, G, R}, // 3 rotate 180
            {B, Y, R, G}, // 4 mirror vertical
            {R, B, G, Y}, // 5 mirror horizontal + rotate 270 CW (transpose)
            {G, Y, R, B}, // 6 rotate 90 CW
            {Y, G, B, R}, // 7 mirror horizontal + rotate 90 CW (transverse)
            {B, R, Y, G}, // 8 rotate 270 CW
    };

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifOrientationGivesUprightPixelsInBothByteOrders(int orientation) {
        for (boolean littleEndian : new boolean[] {true, false}) {
            byte[] jpeg = TestImages.withJpegOrientation(
                    TestImages.jpeg(storedFor(orientation), 0.95f, false), orientation, littleEndian);

            DecodedImage decoded = decoder.decode(jpeg);

            assertEquals(orientation, decoded.exifOrientation());
            assertShownUpright(decoded.image(), "orientation " + orientation + (littleEndian ? " II" : " MM"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngExifOrientationGivesUprightPixels(int orientation) {
        byte[] png = TestImages.withPngOrientation(TestImages.write(storedFor(orientation), "png"), orientation);

        DecodedImage decoded = decoder.decode(png);

        assertEquals(orientation, decoded.exifOrientation());
        assertShownUpright(decoded.image(), "orientation " + orientation);
    }

    @Test
    void damagedOrOutOfRangeExifIsIgnoredNotFatal() {
        BufferedImage stored = storedFor(1);
        byte[] outOfRange = TestImages.withJpegOrientation(TestImages.jpeg(stored, 0.95f, false), 9, false);
        assertEquals(1, decoder.decode(outOfRange).exifOrientation());
        assertShownUpright(decoder.decode(outOfRange).image(), "orientation 9");

        byte[] junkApp1 = TestImages.splice(TestImages.jpeg(stored, 0.95f, false), 2,
                new byte[] {(byte) 0xFF, (byte) 0xE1, 0, 12, 'E', 'x', 'i', 'f', 0, 0, 'Q', 'Q', 0, 0x2A});
        assertEquals(1, decoder.decode(junkApp1).exifOrientation());
    }

    private static BufferedImage storedFor(int orientation) {
        boolean swap = orientation >= 5;
        int w = swap ? 40 : 80;
        int h = swap ? 80 : 40;
        Color[] c = STORED_CORNERS[orientation];
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c[0]);
        g.fillRect(0, 0, w / 2, h / 2);
        g.setColor(c[1]);
        g.fillRect(w / 2, 0, w - w / 2, h / 2);
        g.setColor(c[2]);
        g.fillRect(0, h / 2, w / 2, h - h / 2);
        g.setColor(c[3]);
        g.fillRect(w / 2, h / 2, w - w / 2, h - h / 2);
        g.dispose();
        return img;
    }

    private static void assertShownUpright(BufferedImage shown, String what) {
        assertEquals(80, shown.getWidth(), what + ": width");
        assertEquals(40, shown.getHeight(), what + ": height");
        assertColourNear(R, shown.getRGB(10, 10), 40, what + ": top-left");
        assertColourNear(G, shown.getRGB(70, 10), 40, what + ": top-right");
        assertColourNear(B, shown.getRGB(10, 30), 40, what + ": bottom-left");
        assertColourNear(Y, shown.getRGB(70, 30), 40, what + ": bottom-right");
    }

    // ---- decompression bombs and limits -------------------------------------------------------

    @Test
    void realPngBombIsRefusedFromItsHeader() throws Exception {
        // 20000 x 20000 1-bit grey, all zero: 400 million pixels in about 50 KB, 1.6 GB once
        // decoded to TYPE_INT_RGB. Without the header check this would decode (or run out of
        // memory) instead of failing with TOO_MANY_PIXELS.
        byte[] bomb = blackPng(20_000, 20_000);
        assertTrue(bomb.length < 200_000, "bomb is small: " + bomb.length);

        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bomb));

        assertEquals(DecodeFailure.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void pngHeaderDeclaring50000Squared_isRefusedBeforeAnyPixelData() {
        // IHDR only, no IDAT at all: reaching the pixel data would fail as CORRUPT instead.
        byte[] png = headerOnlyPng(50_000, 50_000);

        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(png));

        assertEquals(DecodeFailure.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("2500000000"), e.getMessage());
    }

    @Test
    void jpegGifAndWebpHeadersDeclaringHugeSizesAreRefused() {
        byte[] jpeg = TestImages.jpeg(TestImages.decoded("chelsea.png"), 0.8f, false);
        int sof = markerOffset(jpeg, 0xC0);
        jpeg[sof + 5] = (byte) 0xEA; // height 60000
        jpeg[sof + 6] = (byte) 0x60;
        jpeg[sof + 7] = (byte) 0xEA; // width 60000
        jpeg[sof + 8] = (byte) 0x60;
        assertEquals(DecodeFailure.TOO_MANY_PIXELS, reasonFor(jpeg));

        byte[] gif = TestImages.write(solid(8, 8, Color.RED), "gif");
        for (int i : new int[] {6, 7, 8, 9}) { // logical screen 65535 x 65535
            gif[i] = (byte) 0xFF;
        }
        int descriptor = indexOf(gif, (byte) 0x2C);
        for (int i = descriptor + 5; i < descriptor + 9; i++) { // first frame 65535 x 65535
            gif[i] = (byte) 0xFF;
        }
        assertEquals(DecodeFailure.TOO_MANY_PIXELS, reasonFor(gif));

        byte[] webp = TestImages.bytes("derived/chelsea-q80.webp");
        int start = indexOf(webp, (byte) 0x9D); // VP8 key frame start code 9d 01 2a, then 14-bit sizes
        assertEquals(0x2A, webp[start + 2] & 0xFF, "precondition: VP8 start code");
        webp[start + 3] = (byte) 0xFF;
        webp[start + 4] = (byte) 0x3F;
        webp[start + 5] = (byte) 0xFF;
        webp[start + 6] = (byte) 0x3F;
        assertEquals(DecodeFailure.TOO_MANY_PIXELS, reasonFor(webp));
    }

    @Test
    void pixelLimitIsInclusive() {
        byte[] chelsea = TestImages.bytes("chelsea.png"); // 451 x 300
        assertEquals(451, new ImageDecoder(new DecodeLimits(451 * 300, 0)).decode(chelsea).width());
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(new DecodeLimits(451 * 300 - 1, 0)).decode(chelsea));
        assertEquals(DecodeFailure.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("max_pixels"), e.getMessage());
    }

    @Test
    void jpegWithHundredsOfScansIsRefusedBeforeDecoding() {
        byte[] progressive = TestImages.jpeg(TestImages.decoded("coins.png"), 0.8f, true);
        int firstScan = markerOffset(progressive, 0xDA);
        int eoi = progressive.length - 2;
        byte[] scans = Arrays.copyOfRange(progressive, firstScan, eoi);
        int perFile = count(scans, 0xDA);
        assertTrue(perFile > 1 && perFile <= DecodeLimits.DEFAULT_MAX_JPEG_SCANS, "precondition: a normal "
                + "progressive JPEG is accepted; it has " + perFile + " scans");
        assertEquals(ImageFormat.JPEG, decoder.decode(progressive).format());

        // The same scans repeated until there are more than 100: a few hundred KB, hours of work.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(progressive, 0, firstScan);
        while (count(bomb.toByteArray(), 0xDA) <= DecodeLimits.DEFAULT_MAX_JPEG_SCANS) {
            bomb.write(scans, 0, scans.length);
        }
        bomb.write(progressive, eoi, 2);

        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bomb.toByteArray()));

        assertEquals(DecodeFailure.TOO_COMPLEX, e.reason());
        assertTrue(e.getMessage().contains("max_jpeg_scans"), e.getMessage());
    }

    private static int count(byte[] data, int marker) {
        int n = 0;
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == (byte) 0xFF && (data[i + 1] & 0xFF) == marker) {
                n++;
            }
        }
        return n;
    }

    @Test
    void largeImagesAreSubsampledTowardTheConfiguredSideButNeverBelowIt() {
        byte[] hubble = TestImages.bytes("hubble_deep_field.jpg"); // 1000 x 872

        DecodedImage small = new ImageDecoder(new DecodeLimits(DecodeLimits.DEFAULT_MAX_PIXELS, 300)).decode(hubble);

        assertEquals(3, small.subsampling());
        assertEquals(1000, small.originalWidth());
        assertEquals(872, small.originalHeight());
        assertEquals(334, small.width());
        assertEquals(291, small.height());
        // Same picture: compare 32x32 thumbnails of the full and the subsampled decode.
        BufferedImage full = decoder.decode(hubble).image();
        double diff = meanAbsDiff(TestImages.resize(full, 32, 32), TestImages.resize(small.image(), 32, 32));
        assertTrue(diff < 10, "mean diff of thumbnails " + diff);

        assertEquals(1, decoder.decode(hubble).subsampling(), "the default 1024 leaves a 1000 px image alone");
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    void nonImagesAreRefusedAsNotAnImage() {
        String[] texts = {"", "<!DOCTYPE html><html><body>404 Not Found</body></html>",
                "{\"error\":\"rate limited\"}", "just some text", "GIF8"};
        for (String text : texts) {
            assertEquals(DecodeFailure.NOT_AN_IMAGE, reasonFor(text.getBytes(StandardCharsets.UTF_8)), text);
        }
        byte[] noise = new byte[4096];
        new java.util.Random(42).nextBytes(noise);
        noise[0] = 0x13;
        assertEquals(DecodeFailure.NOT_AN_IMAGE, reasonFor(noise));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(new byte[0]));
        assertTrue(e.getMessage().startsWith("NOT_AN_IMAGE"), e.getMessage());
    }

    @Test
    void recognisedButUnsupportedFormatsSayWhichFormat() {
        BufferedImage small = solid(16, 16, Color.ORANGE);
        ImageDecodeException bmp = assertThrows(ImageDecodeException.class,
                () -> decoder.decode(TestImages.write(small, "bmp")));
        assertEquals(DecodeFailure.UNSUPPORTED_FORMAT, bmp.reason());
        assertTrue(bmp.getMessage().contains("BMP"), bmp.getMessage());

        assertEquals(DecodeFailure.UNSUPPORTED_FORMAT, reasonFor(TestImages.write(small, "tiff")));
        byte[] avif = {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0};
        assertEquals(DecodeFailure.UNSUPPORTED_FORMAT, reasonFor(avif));
        byte[] svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.UTF_8);
        assertEquals(DecodeFailure.UNSUPPORTED_FORMAT, reasonFor(svg));
    }

    @Test
    void formatComesFromTheBytesNotFromWhatTheyClaimToBe() {
        // A PNG served as "photo.jpg" / image/jpeg is still a PNG: the decoder only sees bytes.
        byte[] png = TestImages.bytes("coins.png");
        assertEquals(ImageFormat.PNG, decoder.decode(png).format());
        // JPEG magic followed by a PNG body is a damaged JPEG, not a PNG.
        byte[] lying = TestImages.splice(Arrays.copyOfRange(png, 8, png.length), 0,
                new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0});
        assertEquals(DecodeFailure.CORRUPT, reasonFor(lying));
    }

    @Test
    void truncatedFilesOfEveryFormatAreRefusedAsCorrupt() {
        BufferedImage coffee = TestImages.decoded("coffee.png");
        byte[][] whole = {
                TestImages.jpeg(coffee, 0.9f, false),
                TestImages.jpeg(coffee, 0.9f, true),
                TestImages.write(coffee, "png"),
                TestImages.write(coffee, "gif"),
                TestImages.bytes("derived/chelsea-q80.webp"),
                TestImages.bytes("derived/coins-lossless.webp"),
        };
        for (byte[] file : whole) {
            for (int keep : new int[] {file.length / 2, 30}) {
                byte[] truncated = Arrays.copyOf(file, keep);
                ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(truncated),
                        ImageFormat.sniff(file) + " cut to " + keep + " bytes");
                assertEquals(DecodeFailure.CORRUPT, e.reason(), e.getMessage());
            }
        }
    }

    @Test
    void jpegMissingOnlyItsFinalEoiMarkerIsKeptBecauseEveryPixelIsThere() {
        BufferedImage source = TestImages.decoded("coffee.png");
        for (boolean progressive : new boolean[] {false, true}) {
            byte[] jpeg = TestImages.jpeg(source, 0.9f, progressive);
            byte[] withoutEoi = Arrays.copyOf(jpeg, jpeg.length - 2);
            BufferedImage decoded = decoder.decode(withoutEoi).image();
            assertEquals(0.0, meanAbsDiff(decoder.decode(jpeg).image(), decoded), "progressive " + progressive);
            // One byte more gone and the last scan is incomplete: refused.
            assertEquals(DecodeFailure.CORRUPT, reasonFor(Arrays.copyOf(jpeg, jpeg.length - 3)));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private DecodeFailure reasonFor(byte[] data) {
        return assertThrows(ImageDecodeException.class, () -> decoder.decode(data)).reason();
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth(), "width");
        assertEquals(a.getHeight(), b.getHeight(), "height");
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs((p >> 16 & 0xFF) - (q >> 16 & 0xFF)) + Math.abs((p >> 8 & 0xFF) - (q >> 8 & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static void assertColourNear(Color expected, int rgb, int tolerance, String what) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        boolean near = Math.abs(r - expected.getRed()) <= tolerance && Math.abs(g - expected.getGreen()) <= tolerance
                && Math.abs(b - expected.getBlue()) <= tolerance;
        assertTrue(near, what + ": expected " + expected + " got (" + r + "," + g + "," + b + ")");
    }

    private static BufferedImage solid(int w, int h, Color colour) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static BufferedImage rotateClockwise(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(h - 1 - y, x, src.getRGB(x, y));
            }
        }
        return out;
    }

    private static byte[] animatedGif(BufferedImage... frames) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] blackPng(int width, int height) throws Exception {
        int rowBytes = 1 + (width + 7) / 8; // filter byte + 1-bit samples
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION))) {
            byte[] row = new byte[rowBytes];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(pngSignatureAndHeader(width, height, 1));
        png.write(TestImages.pngChunk("IDAT", idat.toByteArray()));
        png.write(TestImages.pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    private static byte[] headerOnlyPng(int width, int height) {
        return pngSignatureAndHeader(width, height, 8);
    }

    private static byte[] pngSignatureAndHeader(int width, int height, int bitDepth) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) bitDepth).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        byte[] chunk = TestImages.pngChunk("IHDR", ihdr.array());
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        return TestImages.splice(chunk, 0, signature);
    }

    private static boolean hasMarker(byte[] jpeg, int marker) {
        return markerOffset(jpeg, marker) >= 0;
    }

    /** Offset of the 0xFF byte of the first segment with this marker, walking segment lengths. */
    private static int markerOffset(byte[] jpeg, int marker) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            int m = jpeg[i + 1] & 0xFF;
            if (m == marker) {
                return i;
            }
            if (m == 0xDA) {
                return -1;
            }
            i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
        }
        return -1;
    }

    private static int sofComponents(byte[] jpeg) {
        int sof = markerOffset(jpeg, 0xC0);
        return jpeg[sof + 9] & 0xFF;
    }

    private static int indexOf(byte[] data, byte value) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
