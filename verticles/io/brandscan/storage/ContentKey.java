package io.brandscan.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The object key of some bytes: prefix + sha256 hex + extension of the sniffed type, e.g.
 * {@code images/3a7bd3e2...c1.png}. Equal bytes always get the same key, so the same image found
 * on a thousand listings is stored once.
 */
public record ContentKey(String key, String sha256, ContentType type, long size) {

    public static ContentKey of(String prefix, byte[] bytes) {
        String sha = sha256(bytes);
        ContentType type = ContentType.sniff(bytes);
        return new ContentKey(prefix + sha + type.extension(), sha, type, bytes.length);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
