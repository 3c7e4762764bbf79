package io.brandscan.gather;

/** A provider fetch that failed, with a code gather can act on and a message a person can. */
public final class ProviderException extends RuntimeException {
    private final String provider;
    private final ProviderError error;

    public ProviderException(String provider, ProviderError error, String message) {
        this(provider, error, message, null);
    }

    public ProviderException(String provider, ProviderError error, String message, Throwable cause) {
        super(provider + ": " + message, cause);
        this.provider = provider;
        this.error = error;
    }

    public String provider() {
        return provider;
    }

    public ProviderError error() {
        return error;
    }

    public boolean retryable() {
        return error.retryable();
    }
}
