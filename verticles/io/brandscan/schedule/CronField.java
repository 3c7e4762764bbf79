package io.brandscan.schedule;

import java.util.Locale;
import java.util.Map;

/**
 * One of the five fields of a cron expression, parsed into the set of values it allows (a bit
 * mask: every field's values fit in 64 bits). Owns the syntax of a single field: {@code *},
 * numbers, names ({@code jan}, {@code mon}), ranges {@code a-b}, lists {@code a,b} and steps
 * {@code * /n}, {@code a-b/n}, {@code a/n}. Pure; immutable.
 */
final class CronField {
    /** Which field, with its name in error messages and its value range. */
    enum Kind {
        MINUTE("minute", 0, 59, Map.of()),
        HOUR("hour", 0, 23, Map.of()),
        DAY_OF_MONTH("day_of_month", 1, 31, Map.of()),
        MONTH("month", 1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3),
                Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
                Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11),
                Map.entry("dec", 12))),
        // 0 and 7 are both Sunday, as in every common cron; 7 is folded onto 0 after parsing.
        DAY_OF_WEEK("day_of_week", 0, 7, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5,
                "sat", 6));

        final String wireName;
        final int min;
        final int max;
        final Map<String, Integer> names;

        Kind(String wireName, int min, int max, Map<String, Integer> names) {
            this.wireName = wireName;
            this.min = min;
            this.max = max;
            this.names = names;
        }
    }

    private final Kind kind;
    private final long mask;
    /** True when the field starts with {@code *}: cron's day-of-month / day-of-week rule needs it. */
    private final boolean star;

    private CronField(Kind kind, long mask, boolean star) {
        this.kind = kind;
        this.mask = mask;
        this.star = star;
    }

    /** Parses {@code text}; a mistake throws naming {@code fieldPrefix + kind}. */
    static CronField parse(Kind kind, String text, String fieldPrefix) {
        String field = fieldPrefix + kind.wireName;
        if (text == null || text.isEmpty()) {
            throw new InvalidScheduleException(field, "is empty");
        }
        long mask = 0;
        for (String item : text.split(",", -1)) {
            mask |= parseItem(kind, item.toLowerCase(Locale.ROOT), field);
        }
        if (kind == Kind.DAY_OF_WEEK && (mask & (1L << 7)) != 0) {
            mask = (mask & ~(1L << 7)) | 1L;
        }
        return new CronField(kind, mask, text.startsWith("*"));
    }

    private static long parseItem(Kind kind, String item, String field) {
        if (item.isEmpty()) {
            throw new InvalidScheduleException(field, "has an empty list item");
        }
        int step = 1;
        String range = item;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            step = number(kind, item.substring(slash + 1), field, "step");
            if (step < 1) {
                throw new InvalidScheduleException(field, "step must be at least 1 in '" + item + "'");
            }
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = kind.min;
            to = kind == Kind.DAY_OF_WEEK ? 6 : kind.max;
        } else {
            int dash = range.indexOf('-');
            if (dash >= 0) {
                from = value(kind, range.substring(0, dash), field);
                to = value(kind, range.substring(dash + 1), field);
                if (from > to) {
                    throw new InvalidScheduleException(field, "range '" + range + "' runs backwards");
                }
            } else {
                from = value(kind, range, field);
                // "a/n" means from a to the end in steps of n; a lone value is just itself.
                to = slash >= 0 ? kind.max : from;
            }
        }
        long mask = 0;
        for (int v = from; v <= to; v += step) {
            mask |= 1L << v;
        }
        return mask;
    }

    private static int value(Kind kind, String text, String field) {
        Integer named = kind.names.get(text);
        if (named != null) {
            return named;
        }
        int v = number(kind, text, field, "value");
        if (v < kind.min || v > kind.max) {
            throw new InvalidScheduleException(field, "value " + v + " is outside " + kind.min + "-" + kind.max);
        }
        return v;
    }

    private static int number(Kind kind, String text, String field, String what) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            String hint = kind.names.isEmpty() ? "" : " or a name such as " + kind.names.keySet().stream().sorted()
                    .findFirst().orElse("");
            throw new InvalidScheduleException(field, what + " '" + text + "' is not a number" + hint);
        }
        return Integer.parseInt(text);
    }

    boolean has(int value) {
        return value >= 0 && value < 64 && (mask & (1L << value)) != 0;
    }

    boolean star() {
        return star;
    }

    Kind kind() {
        return kind;
    }

    /** The smallest allowed value, or -1 when none (never: parse refuses an empty set). */
    int first() {
        return mask == 0 ? -1 : Long.numberOfTrailingZeros(mask);
    }
}
