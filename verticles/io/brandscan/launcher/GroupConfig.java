package io.brandscan.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group's configuration in three layers, each over the last: the defaults bundled from
 * {@code conf/<group>.json}, then the {@code -conf} value (a file or inline JSON, merged deeply),
 * then environment variables {@code BRANDSCAN_<SLICE>_<KEY>} (e.g. {@code BRANDSCAN_REGISTRY_PORT}
 * sets {@code registry.port}). Each verticle then reads only its own slice. Loading is explicit
 * (no vertx-config store order to remember) and reads the environment only through the map it
 * is given.
 */
public final class GroupConfig {
    public static final String ENV_PREFIX = "BRANDSCAN_";

    /**
     * Variables outside the slice scheme, kept for their documented, friendlier names. The admin
     * token and the session-token secret are shared by the api (which issues tokens) and push
     * (which verifies them), so one variable sets both, wherever the group has that slice.
     */
    private static final Map<String, List<String>> ALIASES = Map.of(
            "BRANDSCAN_ADMIN_TOKEN", List.of("api.admin_token", "push.admin_token"),
            "BRANDSCAN_JWT_SECRET", List.of("api.jwt_secret", "push.jwt_secret"),
            "BRANDSCAN_CLUSTER_MEMBERS", List.of("cluster.members"),
            "SCRAPERAPI_KEY", List.of("gather.scraperapi_key"));

    private GroupConfig() {
    }

    /** Thrown for configuration a user must fix; the message names the file, key or variable. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static JsonObject load(String group, String confArgument, Map<String, String> env) {
        JsonObject merged = defaults(group);
        if (confArgument != null && !confArgument.isBlank()) {
            merged.mergeIn(overlay(confArgument), true);
        }
        applyEnvironment(merged, env);
        return merged;
    }

    public static JsonObject defaults(String group) {
        String resource = "conf/" + group + ".json";
        try (InputStream in = GroupConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("no bundled defaults " + resource);
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | DecodeException e) {
            throw new ConfigException("cannot read bundled " + resource + ": " + e.getMessage());
        }
    }

    static JsonObject overlay(String confArgument) {
        String text = confArgument.trim();
        String source = "inline -conf JSON";
        if (!text.startsWith("{")) {
            Path path = Path.of(text);
            source = "-conf file " + path;
            try {
                text = Files.readString(path);
            } catch (IOException e) {
                throw new ConfigException("cannot read " + source + ": " + e);
            }
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new ConfigException(source + " is not a JSON object: " + e.getMessage());
        }
    }

    static void applyEnvironment(JsonObject conf, Map<String, String> env) {
        // Sorted so the outcome does not depend on the environment's iteration order.
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            List<String> aliased = ALIASES.get(e.getKey());
            if (aliased != null) {
                for (String path : aliased) {
                    // An alias sets a slice the group has; a single-slice alias creates it.
                    if (aliased.size() == 1 || conf.getValue(path.substring(0, path.indexOf('.'))) instanceof JsonObject) {
                        set(conf, path, e.getKey(), e.getValue());
                    }
                }
                continue;
            }
            if (e.getKey().startsWith(ENV_PREFIX)) {
                String path = slicePath(conf, e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT));
                if (path != null) {
                    set(conf, path, e.getKey(), e.getValue());
                }
            }
        }
    }

    /**
     * Matches {@code registry_lease_ms} to slice {@code registry}, key {@code lease_ms}, and
     * descends into nested objects the configuration already has ({@code embedding_model_execution_provider}
     * is {@code embedding.model.execution_provider} when {@code embedding.model} is an object),
     * always taking the longest field name that fits, so {@code registry_client_port} goes to the
     * {@code registry_client} slice, not to {@code registry}.
     */
    private static String slicePath(JsonObject conf, String rest) {
        String slice = longestObjectField(conf, rest);
        if (slice == null) {
            return null;
        }
        StringBuilder path = new StringBuilder(slice);
        JsonObject at = conf.getJsonObject(slice);
        String remaining = rest.substring(slice.length() + 1);
        String nested;
        while ((nested = longestObjectField(at, remaining)) != null) {
            path.append('.').append(nested);
            at = at.getJsonObject(nested);
            remaining = remaining.substring(nested.length() + 1);
        }
        return path.append('.').append(remaining).toString();
    }

    private static String longestObjectField(JsonObject object, String rest) {
        String best = null;
        for (String field : object.fieldNames()) {
            if (object.getValue(field) instanceof JsonObject && rest.startsWith(field + "_")
                    && rest.length() > field.length() + 1 && (best == null || field.length() > best.length())) {
                best = field;
            }
        }
        return best;
    }

    private static void set(JsonObject conf, String path, String variable, String raw) {
        String[] parts = path.split("\\.");
        JsonObject target = conf;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonObject next = target.getJsonObject(parts[i]);
            if (next == null) {
                next = new JsonObject();
                target.put(parts[i], next);
            }
            target = next;
        }
        String key = parts[parts.length - 1];
        target.put(key, typed(target.getValue(key), raw, variable));
    }

    /** Converts the variable to the type the key already has, refusing what does not fit. */
    private static Object typed(Object current, String raw, String variable) {
        String value = raw.trim();
        try {
            if (current instanceof Integer || current instanceof Long) {
                return Long.parseLong(value);
            }
            if (current instanceof Number) {
                return Double.parseDouble(value);
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(variable + " must be a number, got '" + raw + "'");
        }
        if (current instanceof Boolean) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw new ConfigException(variable + " must be true or false, got '" + raw + "'");
            }
            return Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
        }
        if (current instanceof JsonArray) {
            JsonArray out = new JsonArray();
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        if (current instanceof JsonObject) {
            try {
                return new JsonObject(value);
            } catch (DecodeException e) {
                throw new ConfigException(variable + " must be a JSON object: " + e.getMessage());
            }
        }
        return raw;
    }
}
