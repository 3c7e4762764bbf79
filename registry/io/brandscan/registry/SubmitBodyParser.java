package io.brandscan.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a {@code /submit} body in one streaming pass straight into a {@link StoredResult}: the
 * embedding goes into a float array without a tree of boxed numbers, and the result's other
 * members are copied through as raw JSON. This keeps parsing close to the cost of receiving.
 * Refusals name the field (and the position for malformed JSON).
 */
public final class SubmitBodyParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // FastDoubleParser (inside jackson-core): a third less time per 1280-float body, same floats.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** A parsed submit: the batch key and the result to keep. */
    public record Submit(String brand, StoredResult result) { }

    private SubmitBodyParser() {
    }

    /** Parses a submit body; the given array is left as it was. */
    public static Submit parse(byte[] request) {
        return parseOwned(request.clone());
    }

    /**
     * Parses a submit body the caller hands over: its bytes may be rearranged (the embedding is
     * cut out in place), so the hot path needs no copy of its own. Any refusal is worded from the
     * body as it was sent.
     */
    public static Submit parseOwned(byte[] body) {
        Cut cut = new Cut(body);
        try {
            return parse(body, cut);
        } catch (RegistryException refused) {
            if (!cut.made()) {
                throw refused;
            }
        }
        // Refused after the embedding was cut out: put its bytes back and parse the body as sent
        // through the general path, so positions in the message and the wording are the usual ones.
        cut.undo();
        return parseGeneral(body);
    }

    /** The general path alone: no fast embedding, no rearranging. What refusals are worded by. */
    static Submit parseGeneral(byte[] body) {
        return parse(body, null);
    }

    /** One pass; {@code cut} is null for the general path (no fast embedding, no rearranging). */
    private static Submit parse(byte[] body, Cut cut) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw RegistryError.MALFORMED_JSON.with("request body is empty; expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw RegistryError.INVALID_FIELD.with("request body must be a JSON object, got " + describe(first));
            }
            String brand = null;
            StoredResult result = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("brand".equals(field)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw RegistryError.INVALID_FIELD.with("brand must be a string, got " + describe(value));
                    }
                    brand = p.getText();
                } else if ("result".equals(field)) {
                    if (value != JsonToken.START_OBJECT) {
                        throw RegistryError.INVALID_FIELD.with("result must be an object, got " + describe(value));
                    }
                    result = readResult(p, body, cut);
                } else {
                    p.skipChildren();
                }
            }
            if (cut != null && cut.made()) {
                // The bytes past the cut's end are left-overs: check what was really sent after
                // the object ourselves instead of letting the parser read on into them.
                if (p.currentToken() != JsonToken.END_OBJECT || !cut.onlyWhitespaceAfter(p.currentLocation().getByteOffset())) {
                    throw RegistryError.MALFORMED_JSON.with("unexpected content after the JSON object");
                }
            } else if (p.nextToken() != null) {
                throw RegistryError.MALFORMED_JSON.with("unexpected content after the JSON object at " + where(p.currentLocation()));
            }
            if (brand == null) {
                throw RegistryError.INVALID_FIELD.with("brand is required");
            }
            if (result == null) {
                throw RegistryError.INVALID_FIELD.with("result is required");
            }
            return new Submit(brand, result);
        } catch (JsonProcessingException e) {
            throw RegistryError.MALFORMED_JSON.with("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at " + where(e.getLocation())));
        } catch (IOException e) {
            throw RegistryError.MALFORMED_JSON.with("unreadable body: " + e.getMessage());
        }
    }

    private static StoredResult readResult(JsonParser p, byte[] body, Cut cut) throws IOException {
        String url = null;
        float[] embedding = null;
        ByteArrayBuilder others = new ByteArrayBuilder(128);
        int otherCount = 0;
        try (JsonGenerator g = FACTORY.createGenerator(others)) {
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("url".equals(field)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw RegistryError.INVALID_FIELD.with("result.url must be a string, got " + describe(value));
                    }
                    url = p.getText();
                } else if ("embedding".equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw RegistryError.INVALID_FIELD.with("result.embedding must be an array of numbers, got " + describe(value));
                    }
                    embedding = readEmbedding(p, body, cut);
                } else {
                    g.writeFieldName(field);
                    g.copyCurrentStructure(p);
                    otherCount++;
                }
            }
            g.writeEndObject();
        }
        if (url == null) {
            throw RegistryError.INVALID_FIELD.with("result.url is required");
        }
        if (url.isEmpty()) {
            throw RegistryError.INVALID_FIELD.with("result.url must be a non-empty string");
        }
        if (url.length() > RegistryLimits.MAX_URL_LENGTH) {
            throw RegistryError.INVALID_FIELD.with("result.url must be at most " + RegistryLimits.MAX_URL_LENGTH + " characters");
        }
        byte[] members = new byte[0];
        if (otherCount > 0) {
            byte[] object = others.toByteArray();
            members = Arrays.copyOfRange(object, 1, object.length - 1);
        }
        return new StoredResult(url, embedding, members);
    }

    /**
     * Reads the embedding with {@link FloatArrayScanner} straight from the body bytes when it can,
     * then cuts those bytes out of the array the parser reads, so that it sees {@code []} and
     * moves on without scanning 12 KB it has no use for; otherwise (odd input, or the general
     * path) the token path reads it and words any error.
     */
    private static float[] readEmbedding(JsonParser p, byte[] body, Cut cut) throws IOException {
        if (cut != null && !cut.made()) {
            long offset = p.currentLocation().getByteOffset();
            if (offset > 0 && offset <= body.length && body[(int) offset - 1] == '[') {
                FloatArrayScanner.Scan scan = FloatArrayScanner.scan(body, (int) offset, body.length);
                if (scan != null) {
                    cut.make((int) offset, scan.closeBracket());
                    if (p.nextToken() != JsonToken.END_ARRAY) {
                        throw new IllegalStateException("the JSON parser no longer reads from the body array");
                    }
                    return scan.values();
                }
            }
        }
        return readFloats(p);
    }

    private static float[] readFloats(JsonParser p) throws IOException {
        float[] values = new float[64];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw RegistryError.INVALID_FIELD.with("result.embedding[" + n + "] must be a number, got " + describe(t));
            }
            // Float.parseFloat, as the fast path: the parser reads an integer "-0" as 0, not -0.0.
            float f = Float.parseFloat(p.getText());
            if (!Float.isFinite(f)) {
                throw RegistryError.INVALID_FIELD.with("result.embedding[" + n + "] is outside the 32-bit float range");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = f;
        }
        return n == values.length ? values : Arrays.copyOf(values, n);
    }

    /**
     * The one cut a parse may make in its body array: the embedding's numbers, from just after
     * {@code [} up to its {@code ]}, removed by moving everything from the {@code ]} on down over
     * them. The parser reads the array in place, so it then sees {@code []}; the bytes left
     * behind past the new end are never read as content. The overwritten bytes are kept so the
     * body can be put back as sent.
     */
    private static final class Cut {
        private final byte[] body;
        private int from = -1;
        private int closeBracket;
        private int end;
        private byte[] overwritten;

        Cut(byte[] body) {
            this.body = body;
            this.end = body.length;
        }

        boolean made() {
            return from >= 0;
        }

        void make(int from, int closeBracket) {
            int tail = body.length - closeBracket;
            overwritten = Arrays.copyOfRange(body, from, from + Math.min(tail, closeBracket - from));
            System.arraycopy(body, closeBracket, body, from, tail);
            this.from = from;
            this.closeBracket = closeBracket;
            this.end = from + tail;
        }

        /** Whether only JSON whitespace was sent after {@code offset} (an offset past the cut). */
        boolean onlyWhitespaceAfter(long offset) {
            if (offset < 0 || offset > end) {
                return false;
            }
            for (int i = (int) offset; i < end; i++) {
                byte c = body[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return false;
                }
            }
            return true;
        }

        void undo() {
            int tail = body.length - closeBracket;
            System.arraycopy(body, from, body, closeBracket, tail);
            System.arraycopy(overwritten, 0, body, from, overwritten.length);
            from = -1;
            end = body.length;
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }

    private static String where(JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
