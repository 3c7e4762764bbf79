package io.brandscan.gather;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of entries a provider dropped, by {@link RejectReason}. Immutable; build one with
 * {@link Tally}, which one fetch owns and fills as it parses.
 */
public record Rejections(Map<RejectReason, Integer> counts) {
    public static final Rejections NONE = new Rejections(Map.of());

    public Rejections {
        EnumMap<RejectReason, Integer> copy = new EnumMap<>(RejectReason.class);
        copy.putAll(counts);
        counts = Collections.unmodifiableMap(copy);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int count(RejectReason reason) {
        return counts.getOrDefault(reason, 0);
    }

    /** {@code {"missing_title": 3, ...}} in declaration order: for JSON and log lines. */
    public Map<String, Integer> byCode() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((reason, n) -> out.put(reason.code(), n));
        return out;
    }

    /** A mutable counter for one fetch; not thread-safe, like the single fetch that owns it. */
    public static final class Tally {
        private final EnumMap<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);

        public void add(RejectReason reason) {
            counts.merge(reason, 1, Integer::sum);
        }

        public Rejections snapshot() {
            return new Rejections(counts);
        }
    }
}
