package io.brandscan.storage;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The object store against a real s3proxy (transient store, path-style) on a free port. */
class ObjectStoreTest {
    private static DevServices services;
    private static Vertx vertx;
    private static ObjectStore store;

    @BeforeAll
    static void startS3proxy() throws Exception {
        services = DevServices.start(new DevServicesSettings(false, 0, true, 0, null,
                "test-key", "test-secret", false, 0, null));
        vertx = Vertx.vertx();
        store = await(ObjectStore.open(vertx, conf().put("create_bucket", true)));
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        await(vertx.close());
        services.close();
    }

    private static JsonObject conf() {
        return services.adapterConfig().getJsonObject("s3").copy().put("bucket", "images-test");
    }

    private static byte[] image(String name) throws Exception {
        return Files.readAllBytes(Path.of("src/test/resources/images", name));
    }

    @Test
    void theSameImageStoredTwiceIsUploadedOnceUnderOneKey() throws Exception {
        byte[] coffee = image("coffee.png");
        StoredObject first = await(store.put(coffee));
        StoredObject second = await(store.put(coffee.clone()));

        assertTrue(first.uploaded());
        assertFalse(second.uploaded(), "second put found the content already stored");
        assertEquals(first.key(), second.key());
        assertEquals("images/" + ContentKey.sha256(coffee) + ".png", first.key());
        assertEquals("image/png", first.contentType());
        assertEquals("s3://images-test/" + first.key(), first.uri());
        assertEquals(first.uri(), store.uri(first.key()));
        assertArrayEquals(coffee, await(store.get(first.key())).getBytes());
        assertTrue(await(store.exists(first.key())));
    }

    @Test
    void differentImagesGetDifferentKeysAndTheirOwnExtension() throws Exception {
        StoredObject rocket = await(store.put(image("rocket.jpg")));
        StoredObject moon = await(store.put(image("moon.png")));
        assertNotEquals(rocket.key(), moon.key());
        assertTrue(rocket.key().endsWith(".jpg"), rocket.key());
        assertEquals("image/jpeg", rocket.contentType());
        byte[] oneBitOff = image("moon.png");
        oneBitOff[oneBitOff.length - 1] ^= 1;
        assertNotEquals(moon.key(), await(store.put(oneBitOff)).key());
    }

    @Test
    void aMissingKeyIsReportedAsMissing() throws Exception {
        assertFalse(await(store.exists("images/does-not-exist.png")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.get("images/does-not-exist.png")));
        assertInstanceOf(ObjectStore.MissingObjectException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("s3://images-test/images/does-not-exist.png"));
    }

    @Test
    void refusesEmptyAndOversizedContent() throws Exception {
        ExecutionException empty = assertThrows(ExecutionException.class, () -> await(store.put(new byte[0])));
        assertInstanceOf(IllegalArgumentException.class, empty.getCause());
        try (ObjectStore small = await(ObjectStore.open(vertx, conf().put("max_object_bytes", 100)))) {
            byte[] big = new byte[101];
            Arrays.fill(big, (byte) 7);
            ExecutionException tooBig = assertThrows(ExecutionException.class, () -> await(small.put(big)));
            assertInstanceOf(IllegalArgumentException.class, tooBig.getCause());
            assertFalse(await(small.exists("images/" + ContentKey.sha256(big))), "nothing was uploaded");
        }
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        try (ObjectStore intruder = await(ObjectStore.open(vertx, conf().put("secret_key", "wrong")))) {
            assertThrows(ExecutionException.class, () -> await(intruder.put("sneaky".getBytes())));
        }
    }

    @Test
    void sniffsImageFormatsFromTheirBytes() throws Exception {
        assertEquals(ContentType.PNG, ContentType.sniff(image("camera.png")));
        assertEquals(ContentType.JPEG, ContentType.sniff(image("hubble_deep_field.jpg")));
        assertEquals(ContentType.GIF, ContentType.sniff("GIF89a....".getBytes()));
        assertEquals(ContentType.WEBP, ContentType.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes()));
        assertEquals(ContentType.UNKNOWN, ContentType.sniff("<html>not an image</html>".getBytes()));
        assertEquals(ContentType.UNKNOWN, ContentType.sniff(new byte[]{(byte) 0x89, 'P'}), "truncated PNG header");
        assertEquals(ContentType.UNKNOWN, ContentType.sniff(null));
        assertThrows(IllegalArgumentException.class, () -> StorageSettings.fromJson(new JsonObject().put("bucket", "Bad_Bucket")));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
