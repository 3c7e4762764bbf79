package io.brandscan.storage;

import io.vertx.core.json.JsonObject;

import java.net.URI;

/**
 * What the S3 object store reads from its {@code s3} configuration slice. Every key has a
 * default that works against a local s3proxy.
 *
 * @param endpoint     endpoint override; null means the region's AWS endpoint
 * @param pathStyle    address buckets as {@code host/bucket/key} (s3proxy, MinIO) rather than
 *                     {@code bucket.host/key}
 * @param keyPrefix    prepended to every content-hash key, e.g. {@code images/}
 * @param maxObjectBytes refuse to store anything larger (the image downloader caps sizes too)
 */
public record StorageSettings(URI endpoint, String region, String accessKey, String secretKey, String bucket,
                              boolean pathStyle, boolean createBucket, String keyPrefix, long maxObjectBytes,
                              int maxConnections, int ioThreads) {
    public StorageSettings {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("bucket must be a valid S3 bucket name, not " + bucket);
        }
        if (region == null || region.isBlank() || accessKey == null || secretKey == null) {
            throw new IllegalArgumentException("region, access_key and secret_key must be set");
        }
        if (keyPrefix == null || keyPrefix.startsWith("/")) {
            throw new IllegalArgumentException("key_prefix must not start with '/'");
        }
        if (maxObjectBytes < 1 || maxConnections < 1 || ioThreads < 1) {
            throw new IllegalArgumentException("max_object_bytes, max_connections and io_threads must be positive");
        }
    }

    /**
     * Keys and defaults: {@code endpoint} (http://127.0.0.1:9000), {@code region} (us-east-1),
     * {@code access_key}/{@code secret_key} (brandscan/brandscan-secret, what the dev services'
     * s3proxy is started with), {@code bucket} (brandscan-images), {@code path_style} (true),
     * {@code create_bucket} (false), {@code key_prefix} (images/), {@code max_object_bytes}
     * (20 MiB), {@code max_connections} (50), {@code io_threads} (2).
     */
    public static StorageSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        String endpoint = c.getString("endpoint", "http://127.0.0.1:9000");
        return new StorageSettings(
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                c.getString("region", "us-east-1"),
                c.getString("access_key", "brandscan"),
                c.getString("secret_key", "brandscan-secret"),
                c.getString("bucket", "brandscan-images"),
                c.getBoolean("path_style", true),
                c.getBoolean("create_bucket", false),
                c.getString("key_prefix", "images/"),
                c.getLong("max_object_bytes", 20L * 1024 * 1024),
                c.getInteger("max_connections", 50),
                c.getInteger("io_threads", 2));
    }
}
