package io.brandscan.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * How a committed listing document holds its image embedding: BSON binary (subtype 0) of the
 * 32-bit floats, little-endian, written through the Mongo client's {@code {"$binary": bytes}}
 * form. A 1,280-float embedding is 5 KB this way against about 18 KB as a BSON array (a double
 * and a decimal key per element), and it is read back without a boxed number per element: the
 * commit and the scoring of a 2,000-listing scan spent most of their time in that array.
 *
 * <p>Readers also accept the older form, a JSON array of numbers. Pure; no Vert.x state.
 */
public final class StoredEmbedding {
    static final String BINARY = "$binary";

    private StoredEmbedding() {
    }

    /**
     * The stored form of an embedding given as a JSON array of finite numbers; anything else
     * (absent, not an array, a non-number or non-finite element) is returned unchanged, so a
     * malformed result is kept as sent and read back as "no image" by {@link #read}.
     */
    public static Object toStored(Object embedding) {
        if (!(embedding instanceof JsonArray array) || array.isEmpty()) {
            return embedding;
        }
        ByteBuffer bytes = ByteBuffer.allocate(array.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof Number n) || !Float.isFinite(n.floatValue())) {
                return embedding;
            }
            bytes.putFloat(n.floatValue());
        }
        return new JsonObject().put(BINARY, bytes.array());
    }

    /** The embedding in a stored value (either form), or null when absent, empty or malformed. */
    public static float[] read(Object stored) {
        if (stored instanceof JsonObject binary && binary.getValue(BINARY) != null) {
            byte[] data;
            try {
                data = binary.getBinary(BINARY);
            } catch (ClassCastException | IllegalArgumentException e) {
                return null;
            }
            if (data == null || data.length == 0 || data.length % Float.BYTES != 0) {
                return null;
            }
            FloatBuffer floats = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] out = new float[floats.remaining()];
            floats.get(out);
            for (float f : out) {
                if (!Float.isFinite(f)) {
                    return null;
                }
            }
            return out;
        }
        if (stored instanceof JsonArray vector && !vector.isEmpty()) {
            float[] out = new float[vector.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(vector.getValue(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    return null;
                }
                out[i] = n.floatValue();
            }
            return out;
        }
        return null;
    }
}
