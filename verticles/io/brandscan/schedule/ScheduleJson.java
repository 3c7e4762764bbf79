package io.brandscan.schedule;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * The JSON edge of {@link Schedule}: a brand's {@code schedule} object
 * ({@code {"type":"daily","at":"HH:MM"}}, {@code {"type":"weekly","day":"monday","at":"HH:MM"}},
 * {@code {"type":"cron","expression":"m h dom mon dow"}} or {@code {"type":"manual"}}, each with
 * an optional {@code zone}) to a Schedule, refusing unknown or mistyped fields by name.
 */
public final class ScheduleJson {
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "manual", Set.of("type"),
            "daily", Set.of("type", "at", "zone"),
            "weekly", Set.of("type", "day", "at", "zone"),
            "cron", Set.of("type", "expression", "zone"));

    private ScheduleJson() {
    }

    /** A missing (null) schedule is manual. Throws {@link InvalidScheduleException} naming the bad field. */
    public static Schedule parse(JsonObject json) {
        if (json == null) {
            return Schedule.manual();
        }
        String type = string(json, "type");
        if (type == null) {
            throw new InvalidScheduleException("schedule.type", "is required (manual, daily, weekly or cron)");
        }
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw new InvalidScheduleException("schedule.type", "'" + type + "' is not one of manual, daily, weekly, cron");
        }
        for (String key : json.fieldNames()) {
            if (!allowed.contains(key)) {
                throw new InvalidScheduleException("schedule." + key, "is not a field of a " + type + " schedule");
            }
        }
        String zone = string(json, "zone");
        return switch (type) {
            case "daily" -> Schedule.daily(string(json, "at"), zone);
            case "weekly" -> Schedule.weekly(string(json, "day"), string(json, "at"), zone);
            case "cron" -> Schedule.cron(string(json, "expression"), zone);
            default -> Schedule.manual();
        };
    }

    private static String string(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new InvalidScheduleException("schedule." + key, "must be a string");
        }
        return s;
    }
}
