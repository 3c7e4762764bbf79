package io.brandscan.pipeline.gather;

import io.brandscan.acquire.DownloadSettings;
import io.brandscan.acquire.UrlPolicy;
import io.brandscan.registry.RegistryClient;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the gather verticle reads from its {@code gather} slice beyond the provider settings
 * (those belong to {@link io.brandscan.gather.ListingProviders#fromConfig}, which reads the same
 * slice).
 *
 * @param queue        {@code queue}: logical or real name of the queue consumed ("gather")
 * @param urlQueue     {@code url_queue}: logical or real name of the queue fed ("acquire")
 * @param maxAttempts  {@code max_gather_attempts}: gather attempts per scan before it fails (3)
 * @param allow        {@code allow}: feed URL allowlist entries (see io.brandscan.acquire.AllowRule);
 *                     empty (the default) means public addresses only
 * @param registry     {@code registry_client}: see {@link RegistryClient.Settings#fromJson}
 */
public record GatherSettings(String queue, String urlQueue, int maxAttempts, List<String> allow,
                             RegistryClient.Settings registry) {
    public GatherSettings {
        allow = List.copyOf(allow);
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("max_gather_attempts must be in 1..100, got " + maxAttempts);
        }
        UrlPolicy.fromEntries(allow); // a bad entry stops deployment, not every scan
    }

    public static GatherSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new GatherSettings(
                c.getString("queue", "gather"),
                c.getString("url_queue", "acquire"),
                c.getInteger("max_gather_attempts", 3),
                DownloadSettings.allowEntries(c.getValue("allow"), "gather.allow"),
                RegistryClient.Settings.fromJson(c.getJsonObject("registry_client", new JsonObject())));
    }

    public UrlPolicy policy() {
        return UrlPolicy.fromEntries(allow);
    }
}
