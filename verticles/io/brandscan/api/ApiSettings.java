package io.brandscan.api;

import io.vertx.core.json.JsonObject;

/**
 * The {@code api} configuration slice. Keys and defaults: {@code host} (0.0.0.0), {@code port}
 * (8080; 0 picks a free one), {@code admin_token} (empty: no platform admin; also
 * {@code BRANDSCAN_ADMIN_TOKEN}), {@code jwt_secret} (HS256 key, at least 32 characters; empty:
 * a random one per process, so tokens die with it and do not work across instances),
 * {@code jwt_issuer} (brandscan), {@code token_ttl_s} (900), {@code max_body_bytes} (65536 per
 * JSON body), {@code max_upload_bytes} (5242880 per reference image upload), {@code page_size}
 * (20 by default) and {@code page_size_max} (100), {@code export_max} (10000 findings per export),
 * {@code kdf_iterations} (210000) and {@code kdf_threads} (2 worker threads for password hashing),
 * {@code kdf_queue_max} (64 password hashes queued or running; more answer 503),
 * {@code login_max_failures} (10 wrong passwords in a row lock a user) and {@code login_lockout_s}
 * (900 seconds of lockout, answered 429 with Retry-After),
 * {@code max_reference_images} (20 per brand, URLs and uploads together), {@code image_threads}
 * (2 worker threads decoding and hashing uploaded images), {@code push_url} (empty: the dashboard
 * opens its live streams on its own origin; otherwise the push tier's base URL such as
 * {@code http://push.example.com:8090}, handed to the page at {@code GET /dashboard-config.json}).
 */
public record ApiSettings(String host, int port, String adminToken, String jwtSecret, String jwtIssuer, int tokenTtlSeconds,
                          long maxBodyBytes, long maxUploadBytes, int pageSize, int pageSizeMax, int exportMax,
                          int kdfIterations, int kdfThreads, int maxReferenceImages, int imageThreads, int kdfQueueMax,
                          int loginMaxFailures, int loginLockoutSeconds, String pushUrl) {
    public ApiSettings {
        require(port >= 0 && port <= 65535, "api.port must be in 0..65535");
        require(tokenTtlSeconds >= 30 && tokenTtlSeconds <= 86_400, "api.token_ttl_s must be in 30..86400");
        require(maxBodyBytes >= 1024, "api.max_body_bytes must be at least 1024");
        require(maxUploadBytes >= 1024, "api.max_upload_bytes must be at least 1024");
        require(pageSizeMax >= 1 && pageSizeMax <= 1000, "api.page_size_max must be in 1..1000");
        require(pageSize >= 1 && pageSize <= pageSizeMax, "api.page_size must be in 1..page_size_max");
        require(exportMax >= 1 && exportMax <= 1_000_000, "api.export_max must be in 1..1000000");
        require(kdfIterations >= PasswordHasher.MIN_ITERATIONS, "api.kdf_iterations must be at least 210000");
        require(kdfThreads >= 1 && kdfThreads <= 64, "api.kdf_threads must be in 1..64");
        require(loginMaxFailures >= 1 && loginMaxFailures <= 1000, "api.login_max_failures must be in 1..1000");
        require(loginLockoutSeconds >= 1 && loginLockoutSeconds <= 86_400, "api.login_lockout_s must be in 1..86400");
        require(kdfQueueMax >= 1 && kdfQueueMax <= 100_000, "api.kdf_queue_max must be in 1..100000");
        require(imageThreads >= 1 && imageThreads <= 64, "api.image_threads must be in 1..64");
        require(maxReferenceImages >= 1 && maxReferenceImages <= 1000, "api.max_reference_images must be in 1..1000");
        require(jwtSecret == null || jwtSecret.isEmpty() || jwtSecret.length() >= 32,
                "api.jwt_secret must be at least 32 characters (or empty for a random per-process key)");
        pushUrl = pushUrl == null ? "" : pushUrl.trim().replaceAll("/+$", "");
        require(pushUrl.isEmpty() || pushUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?"),
                "api.push_url must be empty or an http(s) base URL");
        adminToken = adminToken == null ? "" : adminToken;
        jwtSecret = jwtSecret == null ? "" : jwtSecret;
    }

    public static ApiSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new ApiSettings(c.getString("host", "0.0.0.0"), c.getInteger("port", 8080), c.getString("admin_token", ""),
                c.getString("jwt_secret", ""), c.getString("jwt_issuer", "brandscan"), c.getInteger("token_ttl_s", 900),
                c.getLong("max_body_bytes", 65_536L), c.getLong("max_upload_bytes", 5_242_880L),
                c.getInteger("page_size", 20), c.getInteger("page_size_max", 100), c.getInteger("export_max", 10_000),
                c.getInteger("kdf_iterations", 210_000), c.getInteger("kdf_threads", 2),
                c.getInteger("max_reference_images", 20), c.getInteger("image_threads", 2),
                c.getInteger("kdf_queue_max", 64), c.getInteger("login_max_failures", 10),
                c.getInteger("login_lockout_s", 900), c.getString("push_url", ""));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
