package io.brandscan.api;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Dashboard passwords, hashed with PBKDF2-HMAC-SHA256 from the JDK: a 16-byte random salt per
 * password, {@code iterations} rounds (at least 210 000, OWASP's 2023 figure for this PRF), a
 * 32-byte result. Stored as {@code pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>} so the
 * iteration count can be raised later without breaking old hashes. Both methods are slow on
 * purpose: call them on a worker pool, never an event loop.
 */
public final class PasswordHasher {
    public static final int MIN_ITERATIONS = 210_000;
    private static final String SCHEME = "pbkdf2_sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public PasswordHasher(int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("kdf_iterations must be at least " + MIN_ITERATIONS + ", got " + iterations);
        }
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} matches {@code stored}; false (never an exception) for a malformed hash. */
    public boolean verify(String password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int rounds = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, rounds));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Spends the same time as a real verification, for a login whose user does not exist, so the
     * answer's timing does not tell which emails have accounts.
     */
    public void verifyNothing(String password) {
        derive(password, new byte[16], iterations);
    }

    private static byte[] derive(String password, byte[] salt, int rounds) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is in every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
