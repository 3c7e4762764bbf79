package io.brandscan.embedding.scoring;

/**
 * A brand's scoring configuration is wrong; {@link #field()} names the bad field as a JSON path
 * ({@code weights.image}, {@code thresholds.price_ratio}) so the API can answer 400 naming it.
 */
public final class ScoringConfigException extends IllegalArgumentException {
    private final String field;

    public ScoringConfigException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
