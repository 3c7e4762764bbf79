package io.brandscan.embedding.model;

/** An embedding that could not be computed: the model failed to load or inference failed. */
public final class EmbeddingException extends RuntimeException {

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }

    public EmbeddingException(String message) {
        super(message);
    }
}
