package io.brandscan.embedding.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.model.EmbeddingModelSpec.ChannelLayout;
import io.brandscan.embedding.model.EmbeddingModelSpec.ColourOrder;
import io.brandscan.embedding.model.EmbeddingModelSpec.ExecutionProvider;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingModelSpecTest {

    @Test
    void defaultsDescribeTheBundledMobileNetV2() {
        EmbeddingModelSpec spec = EmbeddingModelSpec.defaults();
        assertEquals("models/mobilenetv2-nsfwjs.onnx", spec.modelPath());
        assertEquals("input", spec.inputName());
        assertEquals(224, spec.inputWidth());
        assertEquals(224, spec.inputHeight());
        assertEquals(ChannelLayout.NCHW, spec.channelLayout());
        assertEquals(ColourOrder.RGB, spec.colourOrder());
        assertEquals(1f / 255f, spec.scale(), 1e-9);
        assertArrayEquals(new float[] {0, 0, 0}, spec.mean());
        assertArrayEquals(new float[] {1, 1, 1}, spec.std());
        assertEquals("embedding", spec.outputName());
        assertEquals(1280, spec.dimension());
        assertTrue(spec.l2Normalise());
        assertEquals(ExecutionProvider.CPU, spec.executionProvider());
        assertEquals(1, spec.intraOpThreads());
    }

    @Test
    void readsAClipLikeSpecFromVertxJson() {
        JsonObject conf = new JsonObject("""
                {"model_path": "/opt/models/clip-vit-b32-image.onnx", "input_name": "pixel_values",
                 "input_width": 336, "input_height": 336, "channel_layout": "nhwc", "colour_order": "BGR",
                 "scale": 0.00392156862745098, "mean": [0.48145466, 0.4578275, 0.40821073],
                 "std": [0.26862954, 0.26130258, 0.27577711], "output_name": "image_embeds", "dimension": 512,
                 "l2_normalise": false, "execution_provider": "cuda", "cuda_device_id": 1, "intra_op_threads": 4}
                """);
        EmbeddingModelSpec spec = EmbeddingModelSpec.fromMap(conf.getMap());
        assertEquals("pixel_values", spec.inputName());
        assertEquals(336, spec.inputWidth());
        assertEquals(ChannelLayout.NHWC, spec.channelLayout());
        assertEquals(ColourOrder.BGR, spec.colourOrder());
        assertArrayEquals(new float[] {0.48145466f, 0.4578275f, 0.40821073f}, spec.mean());
        assertEquals(512, spec.dimension());
        assertFalse(spec.l2Normalise());
        assertEquals(ExecutionProvider.CUDA, spec.executionProvider());
        assertEquals(1, spec.cudaDeviceId());
        assertEquals(4, spec.intraOpThreads());
        // the map form reads back to an equal spec
        assertEquals(spec, EmbeddingModelSpec.fromMap(spec.toMap()));
    }

    @Test
    void isImmutable() {
        EmbeddingModelSpec spec = EmbeddingModelSpec.defaults();
        spec.mean()[0] = 99f;
        spec.std()[1] = 99f;
        assertEquals(0f, spec.mean()[0]);
        assertEquals(1f, spec.std()[1]);
        float[] mean = {0.1f, 0.2f, 0.3f};
        EmbeddingModelSpec built = spec.with("mean", List.of(0.1, 0.2, 0.3));
        mean[0] = 5f;
        assertEquals(0.1f, built.mean()[0]);
    }

    @Test
    void badValuesFailNamingTheField() {
        assertField("input_width", Map.of("input_width", -3));
        assertField("input_width", Map.of("input_width", "224"));
        assertField("input_height", Map.of("input_height", 2.5));
        assertField("input_height", Map.of("input_height", 100000));
        assertField("channel_layout", Map.of("channel_layout", "CHWN"));
        assertField("colour_order", Map.of("colour_order", "RGBA"));
        assertField("scale", Map.of("scale", 0));
        assertField("scale", Map.of("scale", "1/255"));
        assertField("mean", Map.of("mean", List.of(0.5, 0.5)));
        assertField("mean", Map.of("mean", List.of(0.5, "x", 0.5)));
        assertField("mean", Map.of("mean", 0.5));
        assertField("std", Map.of("std", List.of(0.2, 0.0, 0.2)));
        assertField("std", Map.of("std", List.of(0.2, -1.0, 0.2)));
        assertField("output_name", Map.of("output_name", ""));
        assertField("dimension", Map.of("dimension", 0));
        assertField("l2_normalise", Map.of("l2_normalise", "yes"));
        assertField("execution_provider", Map.of("execution_provider", "tpu"));
        assertField("cuda_device_id", Map.of("cuda_device_id", -1));
        assertField("intra_op_threads", Map.of("intra_op_threads", -2));
        Map<String, Object> nullPath = new HashMap<>();
        nullPath.put("model_path", null);
        assertField("model_path", nullPath);
    }

    @Test
    void unknownKeysAreRefusedSoATypoCannotKeepADefault() {
        var e = assertField("color_order", Map.of("color_order", "BGR"));
        assertTrue(e.getMessage().contains("colour_order"), e.getMessage()); // lists the known keys
    }

    private static InvalidModelSpecException assertField(String field, Map<String, ?> conf) {
        var e = assertThrows(InvalidModelSpecException.class, () -> EmbeddingModelSpec.fromMap(conf), conf.toString());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
        return e;
    }
}
