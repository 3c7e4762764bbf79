package io.brandscan.embedding.scoring;

import java.util.Map;

/** Reads typed values out of configuration maps, naming the field when one is wrong. */
final class ConfigValues {

    private ConfigValues() {
    }

    static double number(Map<String, ?> conf, String key, double fallback, String section) {
        Object v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new ScoringConfigException(section + "." + key, "must be a number, got " + describe(v));
    }

    static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
