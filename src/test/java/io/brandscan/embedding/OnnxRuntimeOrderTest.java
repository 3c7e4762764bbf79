package io.brandscan.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.model.TestImages;
import org.junit.jupiter.api.Test;

/**
 * What langchain4j's MiniLM does first (a plain OrtEnvironment), then the image embedder: it still
 * loads in the same JVM because the auto-registered {@link OnnxRuntimeOrder} started DJL first.
 */
class OnnxRuntimeOrderTest {

    @Test
    void imageEmbedderLoadsAfterAPlainOrtEnvironmentWasRequested() {
        OrtEnvironment.getEnvironment(); // langchain4j's OnnxBertBiEncoder does exactly this
        try (ImageEmbedder embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults())) {
            assertEquals(1280, embedder.embed(TestImages.load("coffee.png")).length);
        }
    }
}
