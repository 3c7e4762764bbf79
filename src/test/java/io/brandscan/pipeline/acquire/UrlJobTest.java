package io.brandscan.pipeline.acquire;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UrlJobTest {
    private static JsonObject body() {
        return new JsonObject().put("client_id", "acme").put("scan_id", "s1").put("batch", "acme/s1/2")
                .put("listing", new JsonObject().put("url", "https://shop.example.com/a").put("title", "A")
                        .put("image_url", "https://img.example.com/a.jpg"));
    }

    @Test
    void parsesWhatGatherSends() {
        UrlJob job = UrlJob.parse(body().encode());
        assertEquals("acme", job.clientId());
        assertEquals(2, job.batch().attempt());
        assertEquals("https://shop.example.com/a", job.url());
        assertEquals("https://img.example.com/a.jpg", job.imageUrl());
        assertEquals(body(), job.toJson());
    }

    @Test
    void refusesBodiesThatAreNotUrlJobs() {
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(null));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse("[]"));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(body().put("batch", "acme/s1").encode()));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(body().put("batch", "acme/s1/x").encode()));
        // A batch of another scan or client must never be submitted for this one.
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(body().put("batch", "evil/s1/1").encode()));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(body().put("scan_id", "s2").encode()));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(body().put("listing", "x").encode()));
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(body().put("client_id", 7).encode()));
        JsonObject noImage = body();
        noImage.getJsonObject("listing").remove("image_url");
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(noImage.encode()));
        JsonObject blankUrl = body();
        blankUrl.getJsonObject("listing").put("url", " ");
        assertThrows(IllegalArgumentException.class, () -> UrlJob.parse(blankUrl.encode()));
    }
}
