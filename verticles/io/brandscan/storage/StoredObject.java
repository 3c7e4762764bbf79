package io.brandscan.storage;

/**
 * Where some bytes were stored, and whether this call uploaded them ({@code uploaded} false
 * means an object with the same content hash was already there).
 */
public record StoredObject(String bucket, String key, String sha256, String contentType, long size,
                           boolean uploaded) {
    /** The {@code s3://bucket/key} path recorded on listings. */
    public String uri() {
        return "s3://" + bucket + "/" + key;
    }
}
