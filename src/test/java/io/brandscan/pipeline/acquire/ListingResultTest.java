package io.brandscan.pipeline.acquire;

import io.brandscan.acquire.DownloadException;
import io.brandscan.acquire.DownloadFailure;
import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageDecodeException;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result object of PIPELINE.md from a real decoded test image, and how failures are sorted. */
class ListingResultTest {
    @Test
    void resultCarriesTheListingTheStoragePathTheEmbeddingAndTheHashes() {
        DecodedImage decoded = ImageDecoder.withDefaults().decode(ImageServer.image("rocket.jpg"));
        AcquiredImage image = AcquiredImage.of(decoded, null);
        JsonObject listing = new JsonObject().put("url", "https://shop.example.com/r").put("title", "Rocket")
                .put("price", 12.5).put("currency", "USD").put("seller", "s").put("image_url", "https://i/r.jpg")
                .put("internal", "not copied");
        float[] vector = new float[1280];
        vector[7] = 0.25f;
        JsonObject r = ListingResult.of(listing, "s3://b/k", vector, image.fingerprint(), image.width(), image.height(),
                image.format());
        assertEquals("https://shop.example.com/r", r.getString("url"));
        assertEquals(12.5, r.getDouble("price"));
        assertFalse(r.containsKey("internal"));
        assertEquals("s3://b/k", r.getString("s3_path"));
        assertEquals(1280, r.getJsonArray("embedding").size());
        assertEquals(0.25f, r.getJsonArray("embedding").getFloat(7));
        assertEquals("jpeg", r.getString("format"));
        assertEquals(decoded.originalWidth(), r.getInteger("width"));
        assertEquals(image.fingerprint(), ImageFingerprint.fromHex(r.getString("fingerprint")));
        assertEquals(image.fingerprint().whole().pHash(), HexFormat.fromHexDigitsToLong(r.getString("phash")));
    }

    @Test
    void permanentFailuresHaveAReasonAndEverythingElseIsRetried() {
        URI u = URI.create("http://127.0.0.1/x");
        assertTrue(JobFailure.permanentReason(new DownloadException(DownloadFailure.HTTP_STATUS, "404", u, 404))
                .orElseThrow().contains("HTTP_STATUS"));
        assertTrue(JobFailure.permanentReason(new DownloadException(DownloadFailure.BLOCKED_ADDRESS, "private", u)).isPresent());
        assertTrue(JobFailure.permanentReason(new DownloadException(DownloadFailure.HTTP_STATUS, "503", u, 503)).isEmpty());
        assertTrue(JobFailure.permanentReason(new DownloadException(DownloadFailure.TIMEOUT, "slow", u)).isEmpty());
        ImageDecodeException corrupt = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.withDefaults().decode("GIF89a but not really".getBytes()));
        assertTrue(JobFailure.permanentReason(corrupt).orElseThrow().startsWith("decode "));
        assertTrue(JobFailure.permanentReason(new IllegalStateException("mongo down")).isEmpty());
    }
}
