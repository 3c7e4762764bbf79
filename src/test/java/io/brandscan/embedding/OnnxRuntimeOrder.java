package io.brandscan.embedding;

import io.brandscan.embedding.model.ImageEmbedder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts DJL's ONNX Runtime engine before any test class runs, whatever the class order: DJL must
 * create the process-wide OrtEnvironment (langchain4j's MiniLM would otherwise create a plain one
 * and DJL could never start in this JVM). Registered for every test by
 * META-INF/services/org.junit.jupiter.api.extension.Extension and junit-platform.properties.
 */
public final class OnnxRuntimeOrder implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("ai.djl.offline", "true");
        ImageEmbedder.initialiseEngine();
    }
}
