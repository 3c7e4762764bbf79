package io.brandscan.embedding.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything that describes one ONNX image model to the {@link ImageEmbedder}: where the file is,
 * how its input tensor is laid out and normalised, which output holds the embedding and how long
 * it is, and where it runs. Any ONNX image model (a CLIP image encoder, say) is usable through this
 * record alone, without code.
 *
 * <p>Build it with {@link #fromMap(Map)} from configuration (a Vert.x {@code JsonObject#getMap()}
 * works: JSON arrays arrive as any {@link Iterable}); every missing key takes the default of the
 * bundled MobileNetV2 (see {@code models/MODEL.md}) and a bad value fails with an
 * {@link InvalidModelSpecException} that names the field.
 *
 * <p>Normalisation: each channel value fed to the model is {@code (pixel * scale - mean[c]) /
 * std[c]}, where {@code pixel} is the 8-bit value (0..255) and {@code c} counts channels in the
 * order the model receives them ({@code colour_order}).
 *
 * @param modelPath file path of the .onnx model; when no such file exists, the classpath resource
 *     of the same relative path is used (the default model travels inside the jar)
 * @param inputName name of the model's image input
 * @param inputWidth width in pixels the image is resized to
 * @param inputHeight height in pixels the image is resized to
 * @param channelLayout NCHW (channels first) or NHWC (channels last)
 * @param colourOrder RGB or BGR
 * @param scale factor applied to the 8-bit pixel value before mean and std
 * @param mean per-channel mean, three values in model channel order
 * @param std per-channel standard deviation, three positive values in model channel order
 * @param outputName name of the model output holding the embedding, shape [N, dimension]
 * @param dimension expected embedding length; checked against the model when it loads
 * @param l2Normalise whether vectors are scaled to unit length (so dot product is cosine)
 * @param executionProvider CPU, or CUDA with a fallback to CPU when CUDA cannot start
 * @param cudaDeviceId CUDA device ordinal, used only with the CUDA provider
 * @param intraOpThreads ONNX Runtime threads per inference (default 1; 0 lets ONNX Runtime use
 *     every physical core). One thread per inference and more {@code workers} gives the best
 *     throughput on shared machines: with several intra-op threads each operator waits for its
 *     slowest thread, and a descheduled one stalls the whole inference (measured 2-4x slower on
 *     the 2-core CI machine under load)
 */
public record EmbeddingModelSpec(
        String modelPath,
        String inputName,
        int inputWidth,
        int inputHeight,
        ChannelLayout channelLayout,
        ColourOrder colourOrder,
        float scale,
        float[] mean,
        float[] std,
        String outputName,
        int dimension,
        boolean l2Normalise,
        ExecutionProvider executionProvider,
        int cudaDeviceId,
        int intraOpThreads) {

    /** Path of the bundled default model, on disk in a checkout and on the classpath in the jar. */
    public static final String DEFAULT_MODEL_PATH = "models/mobilenetv2-nsfwjs.onnx";

    // Generous upper bounds: they catch typos (an extra zero) long before memory does.
    private static final int MAX_INPUT_SIDE = 4096;
    private static final int MAX_DIMENSION = 65536;
    private static final int MAX_THREADS = 256;

    /** Where the channel axis sits in the input tensor. */
    public enum ChannelLayout {
        /** [N, C, H, W], PyTorch and most ONNX exports. */
        NCHW,
        /** [N, H, W, C], TensorFlow exports. */
        NHWC
    }

    /** The order of the three colour channels the model expects. */
    public enum ColourOrder {
        RGB,
        /** Caffe and OpenCV trained models. */
        BGR
    }

    /** Where ONNX Runtime runs the model. */
    public enum ExecutionProvider {
        CPU,
        /** Needs the onnxruntime_gpu runtime (Maven profile {@code gpu}) and a CUDA device. */
        CUDA
    }

    /** Configuration keys, snake_case like the rest of brandscan's conf. */
    public static final class Keys {
        public static final String MODEL_PATH = "model_path";
        public static final String INPUT_NAME = "input_name";
        public static final String INPUT_WIDTH = "input_width";
        public static final String INPUT_HEIGHT = "input_height";
        public static final String CHANNEL_LAYOUT = "channel_layout";
        public static final String COLOUR_ORDER = "colour_order";
        public static final String SCALE = "scale";
        public static final String MEAN = "mean";
        public static final String STD = "std";
        public static final String OUTPUT_NAME = "output_name";
        public static final String DIMENSION = "dimension";
        public static final String L2_NORMALISE = "l2_normalise";
        public static final String EXECUTION_PROVIDER = "execution_provider";
        public static final String CUDA_DEVICE_ID = "cuda_device_id";
        public static final String INTRA_OP_THREADS = "intra_op_threads";

        static final Set<String> ALL = Set.of(MODEL_PATH, INPUT_NAME, INPUT_WIDTH, INPUT_HEIGHT,
                CHANNEL_LAYOUT, COLOUR_ORDER, SCALE, MEAN, STD, OUTPUT_NAME, DIMENSION, L2_NORMALISE,
                EXECUTION_PROVIDER, CUDA_DEVICE_ID, INTRA_OP_THREADS);

        private Keys() {
        }
    }

    /** Validates every field; the exception names the first bad one. */
    public EmbeddingModelSpec {
        requireText(Keys.MODEL_PATH, modelPath);
        requireText(Keys.INPUT_NAME, inputName);
        requireRange(Keys.INPUT_WIDTH, inputWidth, 1, MAX_INPUT_SIDE);
        requireRange(Keys.INPUT_HEIGHT, inputHeight, 1, MAX_INPUT_SIDE);
        requirePresent(Keys.CHANNEL_LAYOUT, channelLayout);
        requirePresent(Keys.COLOUR_ORDER, colourOrder);
        if (!Float.isFinite(scale) || scale == 0f) {
            throw new InvalidModelSpecException(Keys.SCALE, "must be a finite non-zero number, got " + scale);
        }
        mean = requireTriple(Keys.MEAN, mean, false);
        std = requireTriple(Keys.STD, std, true);
        requireText(Keys.OUTPUT_NAME, outputName);
        requireRange(Keys.DIMENSION, dimension, 1, MAX_DIMENSION);
        requirePresent(Keys.EXECUTION_PROVIDER, executionProvider);
        requireRange(Keys.CUDA_DEVICE_ID, cudaDeviceId, 0, 1024);
        requireRange(Keys.INTRA_OP_THREADS, intraOpThreads, 0, MAX_THREADS);
    }

    /** The bundled MobileNetV2: input {@code input} [N,3,224,224] RGB in [0,1], output {@code embedding} [N,1280]. */
    public static EmbeddingModelSpec defaults() {
        return fromMap(Map.of());
    }

    /**
     * Builds a spec from configuration; absent keys take the MobileNetV2 defaults, unknown keys are
     * refused (a misspelt key would otherwise silently keep its default).
     *
     * @throws InvalidModelSpecException naming the first bad field
     */
    public static EmbeddingModelSpec fromMap(Map<String, ?> conf) {
        if (conf == null) {
            conf = Map.of();
        }
        for (String key : conf.keySet()) {
            if (!Keys.ALL.contains(key)) {
                throw new InvalidModelSpecException(key, "unknown key; known keys are " + new java.util.TreeSet<>(Keys.ALL));
            }
        }
        return new EmbeddingModelSpec(
                text(conf, Keys.MODEL_PATH, DEFAULT_MODEL_PATH),
                text(conf, Keys.INPUT_NAME, "input"),
                integer(conf, Keys.INPUT_WIDTH, 224),
                integer(conf, Keys.INPUT_HEIGHT, 224),
                choice(conf, Keys.CHANNEL_LAYOUT, ChannelLayout.class, ChannelLayout.NCHW),
                choice(conf, Keys.COLOUR_ORDER, ColourOrder.class, ColourOrder.RGB),
                (float) number(conf, Keys.SCALE, 1.0 / 255.0),
                triple(conf, Keys.MEAN, new float[] {0f, 0f, 0f}),
                triple(conf, Keys.STD, new float[] {1f, 1f, 1f}),
                text(conf, Keys.OUTPUT_NAME, "embedding"),
                integer(conf, Keys.DIMENSION, 1280),
                bool(conf, Keys.L2_NORMALISE, true),
                choice(conf, Keys.EXECUTION_PROVIDER, ExecutionProvider.class, ExecutionProvider.CPU),
                integer(conf, Keys.CUDA_DEVICE_ID, 0),
                integer(conf, Keys.INTRA_OP_THREADS, 1));
    }

    /** This spec as a configuration map that {@link #fromMap(Map)} reads back to an equal spec. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(Keys.MODEL_PATH, modelPath);
        map.put(Keys.INPUT_NAME, inputName);
        map.put(Keys.INPUT_WIDTH, inputWidth);
        map.put(Keys.INPUT_HEIGHT, inputHeight);
        map.put(Keys.CHANNEL_LAYOUT, channelLayout.name());
        map.put(Keys.COLOUR_ORDER, colourOrder.name());
        map.put(Keys.SCALE, scale);
        map.put(Keys.MEAN, List.of(mean[0], mean[1], mean[2]));
        map.put(Keys.STD, List.of(std[0], std[1], std[2]));
        map.put(Keys.OUTPUT_NAME, outputName);
        map.put(Keys.DIMENSION, dimension);
        map.put(Keys.L2_NORMALISE, l2Normalise);
        map.put(Keys.EXECUTION_PROVIDER, executionProvider.name().toLowerCase(Locale.ROOT));
        map.put(Keys.CUDA_DEVICE_ID, cudaDeviceId);
        map.put(Keys.INTRA_OP_THREADS, intraOpThreads);
        return map;
    }

    /** A copy with a single key replaced, validated like any other spec. */
    public EmbeddingModelSpec with(String key, Object value) {
        Map<String, Object> map = toMap();
        map.put(key, value);
        return fromMap(map);
    }

    /** A copy: the record must stay immutable. */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** A copy: the record must stay immutable. */
    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingModelSpec other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "EmbeddingModelSpec" + toMap();
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidModelSpecException(field, "must be a non-empty string");
        }
    }

    private static void requirePresent(String field, Object value) {
        if (value == null) {
            throw new InvalidModelSpecException(field, "is required");
        }
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidModelSpecException(field, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static float[] requireTriple(String field, float[] values, boolean positive) {
        if (values == null || values.length != 3) {
            throw new InvalidModelSpecException(field, "must hold exactly 3 numbers, one per channel, got "
                    + (values == null ? "nothing" : Arrays.toString(values)));
        }
        for (float v : values) {
            if (!Float.isFinite(v) || (positive && v <= 0f)) {
                throw new InvalidModelSpecException(field, "must hold 3 finite" + (positive ? " positive" : "")
                        + " numbers, got " + Arrays.toString(values));
            }
        }
        return values.clone();
    }

    private static String text(Map<String, ?> conf, String key, String fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return conf.containsKey(key) ? null : fallback;
        }
        if (!(v instanceof String s)) {
            throw new InvalidModelSpecException(key, "must be a string, got " + describe(v));
        }
        return s;
    }

    private static int integer(Map<String, ?> conf, String key, int fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new InvalidModelSpecException(key, "must be a whole number, got " + describe(v));
    }

    private static double number(Map<String, ?> conf, String key, double fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidModelSpecException(key, "must be a number, got " + describe(v));
    }

    private static boolean bool(Map<String, ?> conf, String key, boolean fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new InvalidModelSpecException(key, "must be true or false, got " + describe(v));
    }

    private static <E extends Enum<E>> E choice(Map<String, ?> conf, String key, Class<E> type, E fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        if (v instanceof String s) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.trim())) {
                    return e;
                }
            }
        }
        throw new InvalidModelSpecException(key, "must be one of " + names + ", got " + describe(v));
    }

    private static float[] triple(Map<String, ?> conf, String key, float[] fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        List<Object> items = new ArrayList<>();
        if (v instanceof Iterable<?> it) {
            it.forEach(items::add);
        } else if (v instanceof float[] fs) {
            for (float f : fs) {
                items.add(f);
            }
        } else if (v instanceof double[] ds) {
            for (double d : ds) {
                items.add(d);
            }
        } else {
            throw new InvalidModelSpecException(key, "must be a list of 3 numbers, got " + describe(v));
        }
        float[] out = new float[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Number n)) {
                throw new InvalidModelSpecException(key, "must be a list of 3 numbers, got " + items);
            }
            out[i] = n.floatValue();
        }
        return out; // length and values checked by the constructor
    }

    private static String describe(Object v) {
        return v instanceof String ? "\"" + v + "\"" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
