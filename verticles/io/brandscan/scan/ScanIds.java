package io.brandscan.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every id the scan pipeline stores. Scan ids are random; listing and finding ids are SHA-256
 * digests of (client, scan, normalised listing url) so that a retried commit or a retried AI
 * phase overwrites the same documents instead of adding new ones. The two kinds of digest are
 * domain-separated so a listing id never equals a finding id.
 */
public final class ScanIds {
    /** Client, scan and brand ids: short, and never containing '/', the batch key separator. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private ScanIds() {
    }

    /** Returns {@code value} if it is a valid id, else throws naming {@code field}. */
    public static String requireValid(String field, String value) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-128 characters of [A-Za-z0-9._:-], got "
                    + (value == null ? "nothing" : "'" + value + "'"));
        }
        return value;
    }

    /** A new random scan id. */
    public static String newScanId() {
        return "scan-" + UUID.randomUUID();
    }

    /** The id of a listing: the same for the same client, scan and (normalised) url, whatever the attempt. */
    public static String listing(String clientId, String scanId, String url) {
        return digest("listing", clientId, scanId, ListingUrl.normalise(url));
    }

    /** The id of the finding on a listing: one finding per listing per scan. */
    public static String finding(String clientId, String scanId, String url) {
        return digest("finding", clientId, scanId, ListingUrl.normalise(url));
    }

    private static String digest(String kind, String clientId, String scanId, String normalisedUrl) {
        requireValid("client_id", clientId);
        requireValid("scan_id", scanId);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // NUL separators: no id contains one, so ("a","bc") and ("ab","c") cannot collide.
            for (String part : new String[] {kind, clientId, scanId, normalisedUrl}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
