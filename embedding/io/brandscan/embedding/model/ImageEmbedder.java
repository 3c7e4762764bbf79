package io.brandscan.embedding.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.brandscan.embedding.model.EmbeddingModelSpec.ChannelLayout;
import io.brandscan.embedding.model.EmbeddingModelSpec.ExecutionProvider;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded ONNX image model and the DJL predictors that run it: turns a batch of decoded images
 * into one embedding per image, L2-normalised unless the spec says otherwise.
 *
 * <p>Owns the DJL {@link Model} (one ONNX Runtime session) and one {@link Predictor} per calling
 * thread, created on first use: predictors are not thread-safe, the session is. So
 * {@link #embed(List)} may be called from several worker threads at once; a pool of N threads
 * ends up with N predictors. {@link #close()} releases all of them.
 *
 * <p>Loading checks the model against the spec before anyone relies on it: the input name and
 * shape, and by one probe inference the output name and the embedding dimension. A mismatch fails
 * with an {@link InvalidModelSpecException} naming the configuration field to fix.
 *
 * <p>CUDA: DJL's ONNX Runtime engine adds the CUDA execution provider
 * ({@code SessionOptions.addCUDA(deviceId)}) when the model's device is a GPU and load options are
 * given (with {@code null} options it silently skips it, so options are always passed). When that
 * fails (a CPU-only runtime, no driver, no device) the embedder loads on CPU and logs one WARN
 * line saying why; {@link #executionProvider()} tells which one runs.
 *
 * <p>Blocking: loading and embedding are CPU-heavy; call them from worker threads, never from an
 * event loop. DJL must run offline ({@code -Dai.djl.offline=true}).
 */
public final class ImageEmbedder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageEmbedder.class);
    private static final String ENGINE = "OnnxRuntime";

    private final EmbeddingModelSpec spec;
    private final ImagePreprocessor preprocessor;
    private final Model model;
    private final ExecutionProvider executionProvider;
    private final String fallbackReason;
    private final Queue<Predictor<TensorBatch, float[][]>> predictors = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Predictor<TensorBatch, float[][]>> threadPredictor;
    private volatile boolean closed;

    private ImageEmbedder(EmbeddingModelSpec spec, Model model, ExecutionProvider provider, String fallbackReason) {
        this.spec = spec;
        this.preprocessor = new ImagePreprocessor(spec);
        this.model = model;
        this.executionProvider = provider;
        this.fallbackReason = fallbackReason;
        this.threadPredictor = ThreadLocal.withInitial(this::newPredictor);
    }

    /**
     * Starts DJL's ONNX Runtime engine, which creates the process-wide {@code OrtEnvironment} with
     * its thread options. Call it at process start before anything else touches ONNX Runtime
     * (langchain4j's in-process embedding models call {@code OrtEnvironment.getEnvironment()}):
     * once a plain environment exists, DJL's engine fails to start for the life of the JVM
     * ("Tried to specify the thread pool when creating an OrtEnvironment, but one already
     * exists"). Idempotent and cheap after the first call.
     */
    public static void initialiseEngine() {
        try {
            Engine.getEngine(ENGINE);
        } catch (LinkageError | IllegalStateException e) {
            throw new EmbeddingException("DJL's ONNX Runtime engine cannot start: " + rootMessage(e)
                    + " (something created a plain OrtEnvironment first, as langchain4j's embedding models do;"
                    + " call ImageEmbedder.initialiseEngine() at process start, before any other ONNX Runtime use)", e);
        }
    }

    /**
     * Loads and checks the model the spec describes. Blocking (about a second for MobileNetV2).
     *
     * @throws InvalidModelSpecException when the model file is missing or does not match the spec
     * @throws EmbeddingException when ONNX Runtime cannot load the file at all
     */
    public static ImageEmbedder load(EmbeddingModelSpec spec) {
        initialiseEngine(); // fail with the real cause, not as a "CUDA unavailable" fallback
        Path file = ModelFile.resolve(spec.modelPath());
        if (spec.executionProvider() == ExecutionProvider.CUDA) {
            Model gpuModel = null;
            try {
                gpuModel = loadModel(spec, file, Device.gpu(spec.cudaDeviceId()));
                ImageEmbedder embedder = new ImageEmbedder(spec, gpuModel, ExecutionProvider.CUDA, null);
                embedder.check(file);
                LOG.info("embedding model {} loaded on CUDA device {}", file, spec.cudaDeviceId());
                return embedder;
            } catch (InvalidModelSpecException e) {
                closeQuietly(gpuModel);
                throw e; // the spec is wrong whatever the device: CPU would not help
            } catch (Exception | LinkageError e) {
                closeQuietly(gpuModel);
                String reason = rootMessage(e);
                LOG.warn("CUDA execution provider unavailable for {} (device {}): {}; falling back to CPU",
                        file.getFileName(), spec.cudaDeviceId(), reason);
                return loadOnCpu(spec, file, reason);
            }
        }
        return loadOnCpu(spec, file, null);
    }

    private static ImageEmbedder loadOnCpu(EmbeddingModelSpec spec, Path file, String fallbackReason) {
        Model cpuModel = null;
        try {
            cpuModel = loadModel(spec, file, Device.cpu());
            ImageEmbedder embedder = new ImageEmbedder(spec, cpuModel, ExecutionProvider.CPU, fallbackReason);
            embedder.check(file);
            LOG.info("embedding model {} loaded on CPU ({}x{} {}, output '{}' [{}])", file, spec.inputWidth(),
                    spec.inputHeight(), spec.channelLayout(), spec.outputName(), spec.dimension());
            return embedder;
        } catch (RuntimeException e) {
            closeQuietly(cpuModel);
            throw e;
        } catch (Exception e) {
            closeQuietly(cpuModel);
            throw new EmbeddingException("cannot load model " + file + ": " + rootMessage(e), e);
        }
    }

    private static Model loadModel(EmbeddingModelSpec spec, Path file, Device device) throws Exception {
        Model m = Model.newInstance(file.getFileName().toString(), device, ENGINE);
        try {
            // Always a non-null map: DJL's OrtModel only applies options (CUDA included) when given some.
            Map<String, String> options = new HashMap<>();
            options.put("interOpNumThreads", "1"); // sequential graph execution: parallelism is intra-op
            if (spec.intraOpThreads() > 0) {
                options.put("intraOpNumThreads", Integer.toString(spec.intraOpThreads()));
            }
            m.load(file, null, options);
            return m;
        } catch (Exception | LinkageError e) {
            m.close();
            throw e;
        }
    }

    /** Checks the input name, then runs one blank image to check output name, dimension and shape. */
    private void check(Path file) {
        List<String> names = model.getBlock().describeInput().keys();
        if (!names.contains(spec.inputName())) {
            throw new InvalidModelSpecException(EmbeddingModelSpec.Keys.INPUT_NAME,
                    "is '" + spec.inputName() + "' but the model's inputs are " + names);
        }
        float[][] probe;
        try {
            probe = predict(new TensorBatch(new float[preprocessor.valuesPerImage()], preprocessor.shape(1)));
        } catch (EmbeddingException e) {
            // ONNX Runtime's message says which index is wrong, not which conf key: find the key.
            throw inputShapeMismatch(file).orElseThrow(() -> e);
        }
        if (probe.length != 1) {
            throw new EmbeddingException("model returned " + probe.length + " rows for a batch of 1");
        }
    }

    // DJL does not expose input shapes, so read them from a plain, unoptimised session (cheap,
    // and only on the failure path).
    private Optional<InvalidModelSpecException> inputShapeMismatch(Path file) {
        long[] have;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
                NodeInfo input = session.getInputInfo().get(spec.inputName());
                if (input == null || !(input.getInfo() instanceof TensorInfo tensor)) {
                    return Optional.empty();
                }
                have = tensor.getShape();
            }
        } catch (OrtException e) {
            return Optional.empty();
        }
        long[] want = preprocessor.shape(1);
        if (have.length != 4) {
            return Optional.of(new InvalidModelSpecException(EmbeddingModelSpec.Keys.INPUT_NAME,
                    "names input '" + spec.inputName() + "' of shape " + Arrays.toString(have)
                            + ", not a 4-d image tensor"));
        }
        for (int axis = 1; axis < 4; axis++) {
            if (have[axis] > 0 && have[axis] != want[axis]) {
                return Optional.of(new InvalidModelSpecException(fieldForAxis(have, axis),
                        "does not match the model: input '" + spec.inputName() + "' has shape " + Arrays.toString(have)
                                + " but the spec lays out " + Arrays.toString(want) + " (" + spec.channelLayout() + ")"));
            }
        }
        return Optional.empty();
    }

    private String fieldForAxis(long[] have, int axis) {
        int channelAxis = spec.channelLayout() == ChannelLayout.NCHW ? 1 : 3;
        int otherChannelAxis = channelAxis == 1 ? 3 : 1;
        if (axis == channelAxis || have[otherChannelAxis] == 3) {
            return EmbeddingModelSpec.Keys.CHANNEL_LAYOUT;
        }
        int heightAxis = spec.channelLayout() == ChannelLayout.NCHW ? 2 : 1;
        return axis == heightAxis ? EmbeddingModelSpec.Keys.INPUT_HEIGHT : EmbeddingModelSpec.Keys.INPUT_WIDTH;
    }

    /**
     * Embeds a batch: one vector per image, in order. Blocking; safe from several threads at once.
     *
     * @throws IllegalArgumentException for a null image
     * @throws EmbeddingException when inference fails
     */
    public List<float[]> embed(List<BufferedImage> images) {
        if (closed) {
            throw new IllegalStateException("embedder is closed");
        }
        if (images.isEmpty()) {
            return List.of();
        }
        float[][] rows = predict(new TensorBatch(preprocessor.toTensor(images), preprocessor.shape(images.size())));
        List<float[]> out = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            out.add(spec.l2Normalise() ? l2Normalised(row) : row);
        }
        return out;
    }

    /** Embeds one image (a batch of one). */
    public float[] embed(BufferedImage image) {
        return embed(List.of(image)).get(0);
    }

    /**
     * Runs an already laid-out tensor (see {@link #preprocessor()}) and returns the raw, not
     * normalised, output rows. For benchmarks and checks that want to skip preprocessing.
     */
    public float[][] predict(TensorBatch batch) {
        try {
            return threadPredictor.get().predict(batch);
        } catch (TranslateException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidModelSpecException bad) {
                    throw bad;
                }
            }
            throw new EmbeddingException("inference failed: " + rootMessage(e), e);
        }
    }

    /** The spec this embedder was loaded from. */
    public EmbeddingModelSpec spec() {
        return spec;
    }

    /** The preprocessing this embedder applies, for callers that lay out tensors themselves. */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** Embedding length. */
    public int dimension() {
        return spec.dimension();
    }

    /** The provider actually running the model: CPU after a CUDA fallback. */
    public ExecutionProvider executionProvider() {
        return executionProvider;
    }

    /** Why CUDA was asked for and not used, if it was. */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** How many predictors exist: one per thread that has embedded so far. */
    public int predictorCount() {
        return predictors.size();
    }

    @Override
    public void close() {
        closed = true;
        Predictor<?, ?> p;
        while ((p = predictors.poll()) != null) {
            p.close();
        }
        model.close();
    }

    /** Scales to unit length; an all-zero vector stays zero rather than becoming NaN. */
    public static float[] l2Normalised(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float[] out = v.clone();
        if (sum > 0) {
            float inv = (float) (1.0 / Math.sqrt(sum));
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
        }
        return out;
    }

    private Predictor<TensorBatch, float[][]> newPredictor() {
        Predictor<TensorBatch, float[][]> p = model.newPredictor(new Translator(spec));
        predictors.add(p);
        return p;
    }

    private static void closeQuietly(Model m) {
        if (m != null) {
            try {
                m.close();
            } catch (RuntimeException ignored) {
                // already failing; the first error is the one worth reporting
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip().replaceAll("\\s+", " "));
    }

    /**
     * An input tensor laid out per the spec: {@code values} in row-major order of {@code shape}.
     *
     * @param values the floats, length equal to the product of the shape
     * @param shape the tensor shape, batch size first
     */
    public record TensorBatch(float[] values, long[] shape) {
        public int batchSize() {
            return (int) shape[0];
        }
    }

    /** Wraps the tensor for DJL and picks the configured output; batching is ours, not DJL's. */
    private static final class Translator implements NoBatchifyTranslator<TensorBatch, float[][]> {

        private final EmbeddingModelSpec spec;

        Translator(EmbeddingModelSpec spec) {
            this.spec = spec;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, TensorBatch batch) {
            NDArray array = ctx.getNDManager().create(FloatBuffer.wrap(batch.values()), new Shape(batch.shape()));
            array.setName(spec.inputName());
            ctx.setAttachment("batch", batch.batchSize());
            return new NDList(array);
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray out = list.get(spec.outputName());
            if (out == null) {
                List<String> names = list.stream().map(NDArray::getName).toList();
                throw new InvalidModelSpecException(EmbeddingModelSpec.Keys.OUTPUT_NAME,
                        "is '" + spec.outputName() + "' but the model's outputs are " + names);
            }
            Shape shape = out.getShape();
            long rows = shape.dimension() == 0 ? 0 : shape.get(0);
            long perRow = rows == 0 ? 0 : shape.size() / rows;
            int batch = (int) ctx.getAttachment("batch");
            if (rows != batch || perRow != spec.dimension()) {
                throw new InvalidModelSpecException(EmbeddingModelSpec.Keys.DIMENSION,
                        "is " + spec.dimension() + " but output '" + spec.outputName() + "' has shape " + shape
                                + " for a batch of " + batch);
            }
            float[] flat = out.toFloatArray();
            float[][] result = new float[batch][];
            for (int i = 0; i < batch; i++) {
                result[i] = Arrays.copyOfRange(flat, i * spec.dimension(), (i + 1) * spec.dimension());
            }
            return result;
        }
    }
}
