package io.brandscan.embedding.image;

import java.nio.charset.StandardCharsets;

/**
 * The image formats brandscan decodes, recognised from their leading magic bytes only. A file
 * name or a Content-Type header says what a server claims; the bytes say what it sent.
 */
public enum ImageFormat {
    JPEG("jpeg"),
    PNG("png"),
    GIF("gif"),
    WEBP("webp");

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The ImageIO format name whose readers decode this format. */
    public String imageIoName() {
        return imageIoName;
    }

    /**
     * Names what the bytes are, or throws: {@link DecodeFailure#UNSUPPORTED_FORMAT} for images we
     * recognise but do not decode (BMP, TIFF, AVIF/HEIC, SVG, ...), so an operator can tell "that
     * marketplace serves AVIF" apart from {@link DecodeFailure#NOT_AN_IMAGE} (an HTML error page).
     */
    public static ImageFormat sniff(byte[] data) {
        if (data == null || data.length == 0) {
            throw new ImageDecodeException(DecodeFailure.NOT_AN_IMAGE, "no bytes to decode");
        }
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(data, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return GIF;
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        String other = recognisedUnsupported(data);
        if (other != null) {
            throw new ImageDecodeException(DecodeFailure.UNSUPPORTED_FORMAT,
                    other + " images are not supported (JPEG, PNG, GIF and WebP are)");
        }
        throw new ImageDecodeException(DecodeFailure.NOT_AN_IMAGE,
                "bytes do not start like any image format (first bytes: " + hexPrefix(data) + ")");
    }

    private static String recognisedUnsupported(byte[] data) {
        if (startsWith(data, 0, 'B', 'M') && data.length >= 26) {
            return "BMP";
        }
        if (startsWith(data, 0, 'I', 'I', 0x2A, 0x00) || startsWith(data, 0, 'M', 'M', 0x00, 0x2A)) {
            return "TIFF";
        }
        if (startsWith(data, 4, 'f', 't', 'y', 'p') && data.length >= 12) {
            String brand = new String(data, 8, 4, StandardCharsets.US_ASCII);
            return switch (brand) {
                case "avif", "avis" -> "AVIF";
                case "heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis" -> "HEIF/HEIC";
                default -> null; // MP4 and friends are not images
            };
        }
        if (startsWith(data, 0, 0x00, 0x00, 0x01, 0x00) && data.length >= 6) {
            return "ICO";
        }
        if (startsWith(data, 0, '8', 'B', 'P', 'S')) {
            return "PSD";
        }
        if (startsWith(data, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ')) {
            return "JPEG 2000";
        }
        if (startsWith(data, 0, 0xFF, 0x0A) || startsWith(data, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
            return "JPEG XL";
        }
        if (looksLikeSvg(data)) {
            return "SVG";
        }
        return null;
    }

    private static boolean looksLikeSvg(byte[] data) {
        int n = Math.min(data.length, 1024);
        String head = new String(data, 0, n, StandardCharsets.ISO_8859_1).stripLeading();
        if (!head.startsWith("<")) {
            return false;
        }
        return head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!DOCTYPE svg"))
                && head.contains("<svg"));
    }

    static boolean startsWith(byte[] data, int offset, int... magic) {
        if (data.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hexPrefix(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, data.length); i++) {
            sb.append(String.format("%02x", data[i] & 0xFF));
        }
        return sb.toString();
    }
}
