package io.brandscan.registry;

import io.vertx.core.json.JsonObject;

/**
 * The registry group's configuration slice ({@code "registry"} in conf/registry.json), read
 * once and checked, so a bad value stops the group at start-up with the key's name.
 *
 * @param host                 address the HTTP API binds to
 * @param port                 HTTP port (-1 picks one free port shared by all instances)
 * @param limits               lease, idle expiry and memory budget
 * @param maxBodyBytes         largest request body accepted (413 beyond)
 * @param httpInstances        HTTP verticle instances ({@code -instances} overrides)
 * @param sweepIntervalMillis  how often idle batches and expired leases are looked for
 * @param progressIntervalMillis how often coalesced progress events are published
 * @param commandTimeoutMillis how long an HTTP verticle waits for the state owner
 * @param maxInFlight          commands one HTTP verticle may have waiting on the owner (503 beyond)
 */
public record RegistrySettings(
        String host,
        int port,
        RegistryLimits limits,
        long maxBodyBytes,
        int httpInstances,
        long sweepIntervalMillis,
        long progressIntervalMillis,
        long commandTimeoutMillis,
        int maxInFlight) {

    public static final int DEFAULT_PORT = 8081;

    public static RegistrySettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        RegistryLimits limits;
        try {
            limits = new RegistryLimits(
                    positiveLong(c, "lease_ms", 60_000),
                    positiveLong(c, "idle_expiry_ms", 3_600_000),
                    positiveLong(c, "memory_budget_bytes", 512L * 1024 * 1024));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry: " + e.getMessage(), e);
        }
        int port = (int) longValue(c, "port", DEFAULT_PORT);
        // Negative ports are Vert.x's shared random port: every HTTP instance binds the same one.
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("registry: port must be -1..65535, got " + port);
        }
        return new RegistrySettings(
                c.getString("host", "0.0.0.0"),
                port,
                limits,
                positiveLong(c, "max_body_bytes", 1024 * 1024),
                (int) positiveLong(c, "http_instances", Math.max(1, Runtime.getRuntime().availableProcessors())),
                positiveLong(c, "sweep_interval_ms", 1_000),
                positiveLong(c, "progress_interval_ms", 250),
                positiveLong(c, "command_timeout_ms", 5_000),
                (int) positiveLong(c, "max_in_flight", 4_096));
    }

    private static long positiveLong(JsonObject c, String key, long fallback) {
        long value = longValue(c, key, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException("registry: " + key + " must be positive, got " + value);
        }
        return value;
    }

    private static long longValue(JsonObject c, String key, long fallback) {
        Object value = c.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException("registry: " + key + " must be an integer, got " + value);
    }
}
