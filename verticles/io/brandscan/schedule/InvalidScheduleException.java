package io.brandscan.schedule;

/**
 * A schedule that cannot be accepted. Names the offending field as a path from the brand
 * document ({@code schedule.at}, {@code schedule.expression.day_of_week}), so the API can answer
 * 400 with exactly what to fix.
 */
public final class InvalidScheduleException extends IllegalArgumentException {
    private final String field;

    public InvalidScheduleException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path of the bad field, e.g. {@code schedule.expression.hour}. */
    public String field() {
        return field;
    }
}
