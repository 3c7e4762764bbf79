package io.brandscan.demo;

import io.vertx.core.json.JsonObject;

/**
 * The demo marketplace's configuration slice, read once and checked, so a bad value stops the
 * verticle at start-up with the key's name.
 *
 * @param host              address to bind (default 127.0.0.1: the demo is for this machine only)
 * @param port              HTTP port, 0 for any free one (default {@value #DEFAULT_PORT})
 * @param publicUrl         base of the URLs written into the feed; null means
 *                          {@code http://<host>:<bound port>} (127.0.0.1 when bound to all addresses)
 * @param catalog           {@code seed}, {@code size}, {@code infringing_share}
 * @param pageSize          listings per feed page, 0 for one bare array (default 0)
 * @param imageCacheEntries rendered photos kept (LRU, default 512: about 25 MB of JPEG)
 * @param renderWorkers     worker threads rendering photos (default 2)
 * @param maxPendingRenders renders queued or running at once; beyond it photo requests get 503
 *                          with Retry-After (default 256)
 */
public record DemoMarketplaceSettings(String host, int port, String publicUrl, DemoCatalogSettings catalog,
                                      int pageSize, int imageCacheEntries, int renderWorkers, int maxPendingRenders) {
    public static final int DEFAULT_PORT = 8095;
    public static final int MAX_PAGE_SIZE = 10_000;

    public static DemoMarketplaceSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        int port = (int) integer(c, "port", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("demo: port must be 0..65535, got " + port);
        }
        DemoCatalogSettings catalog;
        try {
            catalog = new DemoCatalogSettings(integer(c, "seed", DemoCatalogSettings.DEFAULT_SEED),
                    (int) integer(c, "size", DemoCatalogSettings.DEFAULT_SIZE),
                    number(c, "infringing_share", DemoCatalogSettings.DEFAULT_INFRINGING_SHARE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("demo: " + e.getMessage(), e);
        }
        int pageSize = (int) integer(c, "page_size", 0);
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("demo: page_size must be 0..." + MAX_PAGE_SIZE + ", got " + pageSize);
        }
        String publicUrl = c.getValue("public_url") instanceof String s && !s.isBlank() ? DemoBrand.trimSlash(s) : null;
        return new DemoMarketplaceSettings(string(c, "host", "127.0.0.1"), port, publicUrl, catalog, pageSize,
                (int) positive(c, "image_cache_entries", 512), (int) positive(c, "render_workers", 2),
                (int) positive(c, "max_pending_renders", 256));
    }

    private static String string(JsonObject c, String key, String fallback) {
        Object v = c.getValue(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s && !s.isBlank()) {
            return s.strip();
        }
        throw new IllegalArgumentException("demo: " + key + " must be a non-blank string, got " + v);
    }

    private static long positive(JsonObject c, String key, long fallback) {
        long v = integer(c, key, fallback);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("demo: " + key + " must be a positive integer, got " + v);
        }
        return v;
    }

    private static long integer(JsonObject c, String key, long fallback) {
        Object v = c.getValue(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException("demo: " + key + " must be an integer, got " + v);
    }

    private static double number(JsonObject c, String key, double fallback) {
        Object v = c.getValue(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("demo: " + key + " must be a number, got " + v);
    }
}
