package io.brandscan.devservices;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * Which stand-ins to run and where. Ports of 0 take any free port (the actual ones are reported
 * by {@link DevServices}); everything binds to 127.0.0.1 only.
 *
 * @param s3Directory   s3proxy's filesystem store, or null for a transient in-memory store
 * @param mongoH2File   mongo-java-server's H2 file, or null for the in-memory backend
 */
public record DevServicesSettings(boolean sqsEnabled, int sqsPort,
                                  boolean s3Enabled, int s3Port, Path s3Directory, String s3AccessKey,
                                  String s3SecretKey,
                                  boolean mongoEnabled, int mongoPort, Path mongoH2File) {
    public DevServicesSettings {
        for (int port : new int[]{sqsPort, s3Port, mongoPort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("ports must be in 0..65535");
            }
        }
        if (s3AccessKey == null || s3SecretKey == null) {
            throw new IllegalArgumentException("s3 access and secret keys must be set");
        }
    }

    /** All three on free ports, in memory: what a test wants. */
    public static DevServicesSettings ephemeral() {
        return new DevServicesSettings(true, 0, true, 0, null, "brandscan", "brandscan-secret", true, 0, null);
    }

    /**
     * Reads the {@code devservices} slice: {@code sqs.enabled} (true), {@code sqs.port} (9324),
     * {@code s3.enabled} (true), {@code s3.port} (9000), {@code s3.directory} (absent: transient
     * in memory), {@code s3.access_key}/{@code s3.secret_key} (brandscan/brandscan-secret),
     * {@code mongo.enabled} (true), {@code mongo.port} (27017), {@code mongo.h2_file} (absent:
     * in memory).
     */
    public static DevServicesSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        JsonObject sqs = c.getJsonObject("sqs", new JsonObject());
        JsonObject s3 = c.getJsonObject("s3", new JsonObject());
        JsonObject mongo = c.getJsonObject("mongo", new JsonObject());
        String dir = s3.getString("directory");
        String h2 = mongo.getString("h2_file");
        return new DevServicesSettings(
                sqs.getBoolean("enabled", true), sqs.getInteger("port", 9324),
                s3.getBoolean("enabled", true), s3.getInteger("port", 9000),
                dir == null || dir.isBlank() ? null : Path.of(dir),
                s3.getString("access_key", "brandscan"), s3.getString("secret_key", "brandscan-secret"),
                mongo.getBoolean("enabled", true), mongo.getInteger("port", 27017),
                h2 == null || h2.isBlank() ? null : Path.of(h2));
    }
}
