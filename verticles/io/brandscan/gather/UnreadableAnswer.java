package io.brandscan.gather;

/**
 * A provider's answer that arrived whole but cannot be read: not JSON
 * ({@link ProviderError#NOT_JSON}) or not the documented shape ({@link ProviderError#WRONG_SHAPE}).
 * Checked, because the parsers are pure and the provider turns it into a {@link ProviderException}
 * that names the URL or page.
 */
public final class UnreadableAnswer extends Exception {
    private final ProviderError error;

    public UnreadableAnswer(ProviderError error, String message) {
        super(message);
        this.error = error;
    }

    public ProviderError error() {
        return error;
    }
}
