package io.brandscan.storage;

/**
 * The kind of bytes being stored, recognised from their first bytes (never from a server's
 * Content-Type header, which lies), with the MIME type and file extension used in the key.
 */
public enum ContentType {
    JPEG("image/jpeg", ".jpg"),
    PNG("image/png", ".png"),
    GIF("image/gif", ".gif"),
    WEBP("image/webp", ".webp"),
    BMP("image/bmp", ".bmp"),
    UNKNOWN("application/octet-stream", "");

    private final String mime;
    private final String extension;

    ContentType(String mime, String extension) {
        this.mime = mime;
        this.extension = extension;
    }

    public String mime() {
        return mime;
    }

    public String extension() {
        return extension;
    }

    public boolean isImage() {
        return this != UNKNOWN;
    }

    /** Recognises the format by its magic number. */
    public static ContentType sniff(byte[] b) {
        if (b == null) {
            return UNKNOWN;
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return GIF;
        }
        if (b.length >= 12 && startsWith(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
        }
        if (startsWith(b, 'B', 'M') && b.length >= 26) {
            return BMP;
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
