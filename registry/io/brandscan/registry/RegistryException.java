package io.brandscan.registry;

/** A refused registry request: a {@link RegistryError} and a message naming the problem. */
public final class RegistryException extends RuntimeException {
    private final RegistryError error;

    public RegistryException(RegistryError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public RegistryError error() {
        return error;
    }
}
