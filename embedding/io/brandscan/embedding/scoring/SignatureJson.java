package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.ImageFingerprint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a reference image's {@link ImageSignature} is kept in a document (the
 * {@code reference_images} collection): {@code fingerprint} (hex, {@link ImageFingerprint#toHex()}),
 * {@code embedding} (the whole image) and {@code view_embeddings} (its crop windows, in
 * {@link ReferenceViews} order). The API writes it at upload, the AI phase reads it and writes it
 * for references it embeds itself; one codec keeps the two sides agreeing.
 */
public final class SignatureJson {
    private SignatureJson() {
    }

    /** Puts {@code signature}'s fields into {@code doc} and returns it. */
    public static JsonObject put(JsonObject doc, ImageSignature signature) {
        JsonArray views = new JsonArray();
        signature.cropEmbeddings().forEach(v -> views.add(floats(v)));
        return doc.put("fingerprint", signature.fingerprint().toHex())
                .put("embedding", floats(signature.embedding())).put("view_embeddings", views);
    }

    /** The signature kept in {@code doc}; empty when it holds no embedding yet (hashed, embedding pending). */
    public static Optional<ImageSignature> read(JsonObject doc) {
        if (doc == null || doc.getJsonArray("embedding") == null || doc.getString("fingerprint") == null) {
            return Optional.empty();
        }
        List<float[]> views = new ArrayList<>();
        for (Object view : doc.getJsonArray("view_embeddings", new JsonArray())) {
            views.add(vector((JsonArray) view));
        }
        return Optional.of(new ImageSignature(vector(doc.getJsonArray("embedding")),
                ImageFingerprint.fromHex(doc.getString("fingerprint")), views));
    }

    private static JsonArray floats(float[] vector) {
        JsonArray out = new JsonArray(new ArrayList<>(vector.length));
        for (float f : vector) {
            out.add((double) f);
        }
        return out;
    }

    private static float[] vector(JsonArray values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.getNumber(i).floatValue();
        }
        return out;
    }
}
