package io.brandscan.pipeline.ai;

import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.scan.BatchKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AI phase's pure parts: message parsing, the committed-listing read, settings bounds. */
class AiPiecesTest {

    @Test
    void aMessageRoundTripsAndBadBodiesAreRefused() {
        AiMessage m = new AiMessage("acme", "scan-1", new BatchKey("acme", "scan-1", 2));
        assertEquals(m, AiMessage.parse(m.toBody()));
        assertThrows(IllegalArgumentException.class, () -> AiMessage.parse(null));
        assertThrows(IllegalArgumentException.class, () -> AiMessage.parse("{not json"));
        assertThrows(IllegalArgumentException.class, () -> AiMessage.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> AiMessage.parse("{\"client_id\":\"acme\",\"scan_id\":\"scan-1\"}"));
        assertThrows(IllegalArgumentException.class,
                () -> AiMessage.parse("{\"client_id\":\"acme\",\"scan_id\":\"scan-1\",\"batch\":7}"));
        // A batch key of another client or scan never reaches the scan of the message.
        assertThrows(IllegalArgumentException.class,
                () -> AiMessage.parse("{\"client_id\":\"acme\",\"scan_id\":\"scan-1\",\"batch\":\"evil/scan-1/1\"}"));
        assertThrows(IllegalArgumentException.class,
                () -> AiMessage.parse("{\"client_id\":\"acme\",\"scan_id\":\"scan-1\",\"batch\":\"acme/scan-2/1\"}"));
        assertThrows(IllegalArgumentException.class,
                () -> AiMessage.parse("{\"client_id\":\"acme\",\"scan_id\":\"scan-1\",\"batch\":\"acme/scan-1/x\"}"));
    }

    @Test
    void aCommittedListingKeepsItsSignatureAndSnapshotButNotItsVector() throws Exception {
        BufferedImage image = ImageDecoder.withDefaults()
                .decode(Files.readAllBytes(Path.of("src/test/resources/images/coins.png"))).image();
        String hex = ImageFingerprint.of(image).toHex();
        JsonObject doc = new JsonObject().put("_id", "x").put("url", "https://shop.example.com/1").put("title", "Coins")
                .put("price", 12.5).put("currency", "EUR").put("seller", "s").put("image_url", "https://i/1.jpg")
                .put("embedding", new JsonArray().add(0.25).add(-1).add(0.5)).put("fingerprint", hex)
                .put("s3_path", "s3://b/k").put("batch_key", "acme/scan/1");
        CommittedListing listing = CommittedListing.of(doc);
        assertTrue(listing.hasImage());
        assertArrayEquals(new float[] {0.25f, -1f, 0.5f}, listing.evidence().image().embedding());
        assertEquals(hex, listing.evidence().image().fingerprint().toHex());
        assertEquals(12.5, listing.evidence().price());
        assertEquals("EUR", listing.evidence().currency());
        assertEquals("Coins", listing.evidence().title());
        assertEquals("s3://b/k", listing.snapshot().getString("s3_path"));
        assertFalse(listing.snapshot().containsKey("embedding"));
        assertFalse(listing.snapshot().containsKey("batch_key"));
    }

    @Test
    void aListingWithoutAUsableImageIsScoredOnTextAlone() {
        JsonObject base = new JsonObject().put("url", "https://shop.example.com/1");
        assertNull(CommittedListing.of(base).evidence().image(), "no embedding at all");
        assertEquals("", CommittedListing.of(base).evidence().title(), "a missing title reads as empty");
        String hex = "0000000000000000-".repeat(11) + "0000000000000000";
        assertTrue(CommittedListing.of(base.copy().put("embedding", new JsonArray().add(1)).put("fingerprint", hex))
                .hasImage());
        assertFalse(CommittedListing.of(base.copy().put("embedding", new JsonArray()).put("fingerprint", hex)).hasImage());
        assertFalse(CommittedListing.of(base.copy().put("embedding", new JsonArray().add(1))).hasImage());
        assertFalse(CommittedListing.of(base.copy().put("embedding", new JsonArray().add(1)).put("fingerprint", "zz"))
                .hasImage());
        assertFalse(CommittedListing.of(base.copy().put("embedding", new JsonArray().add("a")).put("fingerprint", hex))
                .hasImage());
        assertFalse(CommittedListing.of(base.copy().put("embedding", "1,2").put("fingerprint", hex)).hasImage());
        // A price that is not a non-negative number is unknown, never a bonus.
        assertNull(CommittedListing.of(base.copy().put("price", -3)).evidence().price());
        assertNull(CommittedListing.of(base.copy().put("price", "12")).evidence().price());
        assertNull(CommittedListing.of(base.copy().put("price", Double.NaN)).evidence().price());
        assertThrows(IllegalArgumentException.class, () -> CommittedListing.of(new JsonObject().put("title", "t")));
    }

    @Test
    void theVerticleTakesItsSlicesOfAGroupConfiguration() {
        JsonObject group = new JsonObject().put("ai", new JsonObject().put("page_size", 7))
                .put("sqs", new JsonObject().put("endpoint", "http://127.0.0.1:1"))
                .put("registry", new JsonObject().put("port", 1));
        JsonObject conf = AiVerticle.configFrom(group);
        assertEquals(7, conf.getJsonObject("ai").getInteger("page_size"));
        assertEquals("http://127.0.0.1:1", conf.getJsonObject("sqs").getString("endpoint"));
        assertEquals(new JsonObject(), conf.getJsonObject("mongo"));
        assertEquals(new JsonObject(), conf.getJsonObject("download"));
        assertFalse(conf.containsKey("registry"));
        assertFalse(conf.containsKey("image_calibration"));
        conf.getJsonObject("ai").put("page_size", 9);
        assertEquals(7, group.getJsonObject("ai").getInteger("page_size"), "a copy, not the group's object");
    }

    @Test
    void settingsHaveDefaultsAndBounds() {
        AiSettings d = AiSettings.fromJson(null);
        assertEquals(AiSettings.DEFAULTS, d);
        assertEquals(Duration.ofSeconds(30), d.embedTimeout());
        assertEquals(50, AiSettings.fromJson(new JsonObject().put("page_size", 50)).pageSize());
        assertThrows(IllegalArgumentException.class, () -> AiSettings.fromJson(new JsonObject().put("page_size", 0)));
        assertThrows(IllegalArgumentException.class, () -> AiSettings.fromJson(new JsonObject().put("max_in_flight", 0)));
        assertThrows(IllegalArgumentException.class, () -> AiSettings.fromJson(new JsonObject().put("workers", 0)));
        assertThrows(IllegalArgumentException.class, () -> AiSettings.fromJson(new JsonObject().put("embed_timeout_ms", 0)));
        assertThrows(IllegalArgumentException.class, () -> AiSettings.fromJson(new JsonObject().put("queue", " ")));
        assertThrows(IllegalArgumentException.class,
                () -> AiSettings.fromJson(new JsonObject().put("max_reference_images", 0)));
    }
}
