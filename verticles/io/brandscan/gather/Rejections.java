package io.brandscan.gather;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of entries a provider dropped, by {@link RejectReason}, plus the first few details
 * ("missing_title: title is missing or blank") so a person can see what was wrong without the
 * feed. Immutable; build one with {@link Tally}, which one fetch owns and fills as it parses.
 */
public record Rejections(Map<RejectReason, Integer> counts, List<String> samples) {
    /** Details kept per fetch: enough to diagnose a feed, bounded against a feed of junk. */
    public static final int MAX_SAMPLES = 10;
    public static final Rejections NONE = new Rejections(Map.of(), List.of());

    public Rejections {
        EnumMap<RejectReason, Integer> copy = new EnumMap<>(RejectReason.class);
        copy.putAll(counts);
        counts = Collections.unmodifiableMap(copy);
        samples = List.copyOf(samples);
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
        private final List<String> samples = new ArrayList<>();

        public void add(RejectReason reason, String detail) {
            counts.merge(reason, 1, Integer::sum);
            if (samples.size() < MAX_SAMPLES) {
                samples.add(detail == null ? reason.code() : detail);
            }
        }

        public Rejections snapshot() {
            return new Rejections(counts, samples);
        }
    }
}
