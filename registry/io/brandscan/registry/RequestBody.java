package io.brandscan.registry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A small JSON request body with typed accessors that refuse a missing or mistyped field by
 * name. Used for every registry request except {@code /submit}, which streams.
 */
final class RequestBody {
    private final JsonObject json;

    private RequestBody(JsonObject json) {
        this.json = json;
    }

    static RequestBody parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw RegistryError.MALFORMED_JSON.with("request body is empty; expected a JSON object");
        }
        Object value;
        try {
            value = io.vertx.core.json.Json.decodeValue(body);
        } catch (DecodeException e) {
            throw RegistryError.MALFORMED_JSON.with("malformed JSON: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw RegistryError.INVALID_FIELD.with("request body must be a JSON object");
        }
        return new RequestBody(object);
    }

    String requiredString(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw RegistryError.INVALID_FIELD.with(field + " is required");
        }
        if (!(value instanceof String s)) {
            throw RegistryError.INVALID_FIELD.with(field + " must be a string, got " + value.getClass().getSimpleName());
        }
        if (s.isEmpty()) {
            throw RegistryError.INVALID_FIELD.with(field + " must be a non-empty string");
        }
        return s;
    }

    String optionalString(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            throw RegistryError.INVALID_FIELD.with(field + " must be a non-empty string when given");
        }
        return s;
    }

    int requiredPositiveInt(String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw RegistryError.INVALID_FIELD.with(field + " is required");
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw RegistryError.INVALID_FIELD.with(field + " must be an integer from 1 up, got " + value);
        }
        long n = ((Number) value).longValue();
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw RegistryError.INVALID_FIELD.with(field + " must be an integer from 1 to " + Integer.MAX_VALUE + ", got " + n);
        }
        return (int) n;
    }
}
