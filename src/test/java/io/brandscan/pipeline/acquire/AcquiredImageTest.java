package io.brandscan.pipeline.acquire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.model.ImagePreprocessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decode pool's resize for the model (acquire.preresize): the embedding worker gets model-sized
 * pixels, and the embedding, the fingerprint and the recorded size are exactly what they were
 * without it. Real images, the real model.
 */
class AcquiredImageTest {

    @Test
    void resizingOnTheDecodePoolChangesNothingTheResultHolds() {
        EmbeddingModelSpec spec = EmbeddingModelSpec.defaults();
        ImagePreprocessor modelInput = new ImagePreprocessor(spec);
        ImageDecoder decoder = ImageDecoder.withDefaults();
        try (ImageEmbedder embedder = ImageEmbedder.load(spec)) {
            for (String name : List.of("rocket.jpg", "chelsea.png", "coins.png", "hubble_deep_field.jpg")) {
                DecodedImage decoded = decoder.decode(ImageServer.image(name));
                AcquiredImage plain = AcquiredImage.of(decoded, null);
                AcquiredImage resized = AcquiredImage.of(decoded, modelInput);

                assertSame(decoded.image(), plain.pixels());
                assertEquals(spec.inputWidth(), resized.pixels().getWidth(), name);
                assertEquals(spec.inputHeight(), resized.pixels().getHeight(), name);
                assertEquals(ImageFingerprint.of(decoded.image()), resized.fingerprint(), "hashed at full size: " + name);
                assertEquals(decoded.originalWidth(), resized.width(), name);
                assertEquals(decoded.originalHeight(), resized.height(), name);
                // The embedding worker's own resize leaves a model-sized image as it is: same floats.
                assertSame(resized.pixels(), modelInput.resize(resized.pixels()));
                assertArrayEquals(embedder.embed(plain.pixels()), embedder.embed(resized.pixels()), name);
            }
        }
    }
}
