package io.brandscan.embedding.model;

/**
 * A model specification that cannot describe a working model: a bad configuration value, or a
 * model file that does not match what the specification says (input name, output name, shape,
 * dimension). It always names the configuration field to fix.
 */
public final class InvalidModelSpecException extends IllegalArgumentException {

    private final String field;

    public InvalidModelSpecException(String field, String problem) {
        super("model spec field '" + field + "' " + problem);
        this.field = field;
    }

    public InvalidModelSpecException(String field, String problem, Throwable cause) {
        super("model spec field '" + field + "' " + problem, cause);
        this.field = field;
    }

    /** The configuration key to fix, e.g. {@code output_name}. */
    public String field() {
        return field;
    }
}
