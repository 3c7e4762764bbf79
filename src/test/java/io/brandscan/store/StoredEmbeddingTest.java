package io.brandscan.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The stored form of a listing's embedding: float32 binary, and the older array form still read. */
class StoredEmbeddingTest {

    @Test
    void floatsSurviveTheBinaryFormExactlyAndTheArrayFormIsStillRead() {
        float[] v = {0f, -0f, 1.5f, -3.25e-12f, Float.MIN_VALUE, Float.MAX_VALUE, 0.1f};
        JsonArray array = new JsonArray();
        for (float f : v) {
            array.add(f);
        }
        Object stored = StoredEmbedding.toStored(array);
        assertArrayEquals(v, StoredEmbedding.read(stored));
        assertArrayEquals(v, StoredEmbedding.read(array), "documents written before the binary form");
        // Base64 text is what a JSON export of the document holds: it reads the same.
        JsonObject viaText = new JsonObject(((JsonObject) stored).encode());
        assertArrayEquals(v, StoredEmbedding.read(viaText));
    }

    @Test
    void whatIsNotAnEmbeddingIsKeptAsSentAndReadsAsNone() {
        JsonArray mixed = new JsonArray().add(1).add("x");
        assertSame(mixed, StoredEmbedding.toStored(mixed));
        JsonArray infinite = new JsonArray().add(1.0).add(Double.POSITIVE_INFINITY);
        assertSame(infinite, StoredEmbedding.toStored(infinite));
        assertSame("text", StoredEmbedding.toStored("text"));
        assertNull(StoredEmbedding.toStored(null));
        assertNull(StoredEmbedding.read(mixed));
        assertNull(StoredEmbedding.read(infinite));
        assertNull(StoredEmbedding.read(new JsonArray()));
        assertNull(StoredEmbedding.read("text"));
        assertNull(StoredEmbedding.read(null));
        assertNull(StoredEmbedding.read(new JsonObject().put("$binary", new byte[] {1, 2, 3})), "not whole floats");
        assertNull(StoredEmbedding.read(new JsonObject().put("$binary", new byte[0])));
        assertNull(StoredEmbedding.read(new JsonObject().put("$binary", 42)));
        byte[] nan = {0, 0, (byte) 0xC0, 0x7F};
        assertNull(StoredEmbedding.read(new JsonObject().put("$binary", nan)), "NaN is not an embedding");
    }
}
