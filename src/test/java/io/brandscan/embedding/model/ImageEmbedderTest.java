package io.brandscan.embedding.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The real MobileNetV2 on the real test images. */
class ImageEmbedderTest {

    private static ImageEmbedder embedder;
    private static Map<String, BufferedImage> images;

    @BeforeAll
    static void load() {
        embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults());
        images = TestImages.all();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void embeddingsAreUnitLengthWith1280Dimensions() {
        List<float[]> vectors = embedder.embed(new ArrayList<>(images.values()));
        assertEquals(images.size(), vectors.size());
        for (float[] v : vectors) {
            assertEquals(1280, v.length);
            assertEquals(1.0, TestImages.norm(v), 1e-4);
        }
        // a real network gives different images different vectors
        assertTrue(TestImages.cosine(vectors.get(0), vectors.get(1)) < 0.99);
    }

    @Test
    void sameImageTwiceGivesIdenticalVectors() {
        BufferedImage coffee = images.get("coffee.png");
        float[] first = embedder.embed(coffee);
        float[] second = embedder.embed(coffee);
        assertArrayEquals(first, second);
    }

    @Test
    void batchedEqualsOneByOne() {
        List<BufferedImage> some = List.of(images.get("astronaut.png"), images.get("rocket.jpg"), images.get("coins.png"));
        List<float[]> batched = embedder.embed(some);
        for (int i = 0; i < some.size(); i++) {
            assertArrayEquals(embedder.embed(some.get(i)), batched.get(i), 1e-5f, "image " + i);
        }
    }

    @Test
    void halfSizeCopyIsCloserToItsOriginalThanAnyOtherImage() {
        Map<String, float[]> originals = new java.util.LinkedHashMap<>();
        images.forEach((name, image) -> originals.put(name, embedder.embed(image)));
        for (var entry : images.entrySet()) {
            float[] copy = embedder.embed(TestImages.scaled(entry.getValue(), 0.5));
            double own = TestImages.cosine(copy, originals.get(entry.getKey()));
            for (var other : originals.entrySet()) {
                if (!other.getKey().equals(entry.getKey())) {
                    double cos = TestImages.cosine(copy, other.getValue());
                    assertTrue(own > cos, entry.getKey() + " 50% copy: own " + own + " vs " + other.getKey() + " " + cos);
                }
            }
            assertTrue(own > 0.85, entry.getKey() + " 50% copy cosine " + own);
        }
    }

    @Test
    void imagesOfAnySizeTypeAndAlphaEmbed() {
        BufferedImage grey = new BufferedImage(37, 900, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage transparent = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
        BufferedImage sub = images.get("chelsea.png").getSubimage(10, 10, 224, 224);
        for (BufferedImage image : List.of(grey, transparent, sub)) {
            float[] v = embedder.embed(image);
            assertEquals(1.0, TestImages.norm(v), 1e-4);
        }
        // the sub-image must be read through its offsets, not as the start of the parent's buffer
        BufferedImage subCopy = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        subCopy.createGraphics().drawImage(sub, 0, 0, null);
        assertArrayEquals(embedder.embed(subCopy), embedder.embed(sub), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> embedder.embed(java.util.Arrays.asList((BufferedImage) null)));
    }

    @Test
    void severalThreadsGetTheirOwnPredictorAndTheSameAnswers() throws Exception {
        BufferedImage moon = images.get("moon.png");
        float[] expected = embedder.embed(moon);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> embedder.embed(moon)));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get(), 1e-6f);
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(embedder.predictorCount() >= 2 && embedder.predictorCount() <= 4,
                "predictors: " + embedder.predictorCount());
    }

    @Test
    void withoutL2NormalisationTheRawFeaturesComeBack() {
        try (ImageEmbedder raw = ImageEmbedder.load(EmbeddingModelSpec.defaults().with("l2_normalise", false))) {
            float[] v = raw.embed(images.get("astronaut.png"));
            assertNotEquals(1.0, TestImages.norm(v), 1e-2);
            assertArrayEquals(embedder.embed(images.get("astronaut.png")), ImageEmbedder.l2Normalised(v), 1e-5f);
        }
    }

    @Test
    void wrongOutputNameFailsNamingTheField() {
        var e = assertThrows(InvalidModelSpecException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("output_name", "features")));
        assertEquals("output_name", e.field());
        assertTrue(e.getMessage().contains("embedding"), e.getMessage()); // lists the real outputs
    }

    @Test
    void wrongDimensionFailsNamingTheField() {
        var e = assertThrows(InvalidModelSpecException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("dimension", 512)));
        assertEquals("dimension", e.field());
        assertTrue(e.getMessage().contains("1280"), e.getMessage());
    }

    @Test
    void wrongInputNameOrShapeFailsNamingTheField() {
        var name = assertThrows(InvalidModelSpecException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("input_name", "pixels")));
        assertEquals("input_name", name.field());
        var layout = assertThrows(InvalidModelSpecException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("channel_layout", "nhwc")));
        assertEquals("channel_layout", layout.field());
        var width = assertThrows(InvalidModelSpecException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("input_width", 256)));
        assertEquals("input_width", width.field());
    }

    @Test
    void missingModelFileFailsNamingTheField() {
        var e = assertThrows(InvalidModelSpecException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("model_path", "models/nope.onnx")));
        assertEquals("model_path", e.field());
    }

    @Test
    void notAModelFailsClearly() {
        Path notOnnx = Path.of("models/MODEL.md");
        var e = assertThrows(EmbeddingException.class,
                () -> ImageEmbedder.load(EmbeddingModelSpec.defaults().with("model_path", notOnnx.toString())));
        assertTrue(e.getMessage().contains("MODEL.md"), e.getMessage());
    }

    @Test
    void bundledModelLoadsFromTheClasspathWhenTheFileIsAbsent() {
        // Resolved from a path that only exists as a classpath resource: target/classes/models/...
        Path resolved = ModelFile.resolve("/" + EmbeddingModelSpec.DEFAULT_MODEL_PATH);
        assertTrue(resolved.toString().contains("brandscan-models"), resolved.toString());
        try (ImageEmbedder fromJar = ImageEmbedder.load(EmbeddingModelSpec.defaults().with("model_path", resolved.toString()))) {
            BufferedImage brick = images.get("brick.png");
            assertArrayEquals(embedder.embed(brick), fromJar.embed(brick), 1e-6f);
        }
    }

    @Test
    void cudaRequestedOnThisCpuMachineFallsBackToCpuWithOneWarning() {
        Logger logger = (Logger) LoggerFactory.getLogger(ImageEmbedder.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (ImageEmbedder cuda = ImageEmbedder.load(EmbeddingModelSpec.defaults().with("execution_provider", "cuda"))) {
            assertEquals(EmbeddingModelSpec.ExecutionProvider.CPU, cuda.executionProvider());
            assertTrue(cuda.fallbackReason().isPresent());
            List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).getFormattedMessage().contains("falling back to CPU"));
            BufferedImage camera = images.get("camera.png");
            assertArrayEquals(embedder.embed(camera), cuda.embed(camera), 1e-5f);
        } finally {
            logger.detachAppender(appender);
        }
    }
}
