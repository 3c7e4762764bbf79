package io.brandscan.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client API key as shown once to its owner: {@code bsk_<key id>_<secret>}. The key id (16 hex
 * characters) is public and finds the stored record; the secret is 32 bytes from
 * {@link SecureRandom} (base64url) and is stored only as its SHA-256.
 *
 * <p>Why a plain SHA-256 and not a password KDF: a KDF is slow on purpose to make guessing a
 * low-entropy password expensive. A 256-bit random secret cannot be guessed at any speed, so a
 * slow hash would add nothing but latency to every API call; a leaked hash still reveals nothing.
 * Hashes are compared with {@link MessageDigest#isEqual} (constant time).
 */
public record ApiKey(String keyId, String secret) {
    public static final String PREFIX = "bsk_";
    private static final Pattern FORMAT = Pattern.compile("bsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random key. */
    public static ApiKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiKey(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** A new secret for an existing key id (rotation). */
    public ApiKey rotated() {
        return new ApiKey(keyId, generate().secret());
    }

    /** The key in a bearer token, or empty when the token is not shaped like one. */
    public static Optional<ApiKey> parse(String token) {
        Matcher m = FORMAT.matcher(token == null ? "" : token);
        return m.matches() ? Optional.of(new ApiKey(m.group(1), m.group(2))) : Optional.empty();
    }

    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** What the client is shown, once. */
    public String token() {
        return PREFIX + keyId + "_" + secret;
    }

    /** What is stored: the hex SHA-256 of the secret. */
    public String secretHash() {
        return sha256Hex(secret);
    }

    /** Whether this key's secret hashes to {@code storedHash}, compared in constant time. */
    public boolean matches(String storedHash) {
        if (storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(secretHash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[" + keyId + "]"; // never the secret in a log line
    }
}
