package io.brandscan.schedule;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Next-slot arithmetic of daily, weekly and cron schedules, and the naming of bad fields. */
class ScheduleTest {
    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static List<Instant> slots(Schedule schedule, Instant from, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = schedule.nextAfter(t).orElseThrow();
            out.add(t);
        }
        return out;
    }

    @Test
    void dailyFiresAtTheTimeEachDayStrictlyAfterTheGivenInstant() {
        Schedule daily = ScheduleJson.parse(new JsonObject().put("type", "daily").put("at", "09:30"));
        assertEquals(at("2026-11-22T09:30:00Z"), daily.nextAfter(at("2026-11-22T08:00:00Z")).orElseThrow());
        assertEquals(at("2026-11-23T09:30:00Z"), daily.nextAfter(at("2026-11-22T09:30:00Z")).orElseThrow(),
                "strictly after: the slot itself is not its own next");
        assertEquals(List.of(at("2026-12-31T09:30:00Z"), at("2027-01-01T09:30:00Z")),
                slots(daily, at("2026-12-30T10:00:00Z"), 2));
    }

    @Test
    void weeklyFiresOnTheNamedDay() {
        Schedule weekly = ScheduleJson.parse(new JsonObject().put("type", "weekly").put("day", "Monday").put("at", "06:05"));
        // 2026-11-22 is a Sunday.
        assertEquals(List.of(at("2026-11-23T06:05:00Z"), at("2026-11-30T06:05:00Z"), at("2026-12-07T06:05:00Z")),
                slots(weekly, at("2026-11-22T12:00:00Z"), 3));
        Schedule sunday = Schedule.weekly("sun", "00:00", null);
        assertEquals(at("2026-11-29T00:00:00Z"), sunday.nextAfter(at("2026-11-22T00:00:00Z")).orElseThrow());
    }

    @Test
    void zonesShiftTheSlotAndDaylightSavingGapsMoveForward() {
        Schedule paris = Schedule.daily("09:00", "Europe/Paris");
        assertEquals(at("2026-11-22T08:00:00Z"), paris.nextAfter(at("2026-11-22T00:00:00Z")).orElseThrow(), "UTC+1 in winter");
        assertEquals(at("2026-07-01T07:00:00Z"), paris.nextAfter(at("2026-07-01T00:00:00Z")).orElseThrow(), "UTC+2 in summer");
        // 2026-03-29 02:30 does not exist in Paris: the slot runs at 03:30 local (01:30 UTC), once.
        Schedule gap = Schedule.daily("02:30", "Europe/Paris");
        assertEquals(at("2026-03-29T01:30:00Z"), gap.nextAfter(at("2026-03-28T12:00:00Z")).orElseThrow());
        assertEquals(at("2026-03-30T00:30:00Z"), gap.nextAfter(at("2026-03-29T01:30:00Z")).orElseThrow());
        // 2026-10-25 02:30 happens twice in Paris: it runs once, at the earlier offset.
        List<Instant> overlap = slots(gap, at("2026-10-24T12:00:00Z"), 2);
        assertEquals(List.of(at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z")), overlap);
    }

    @Test
    void cronSupportsRangesListsStepsAndNames() {
        Schedule quarter = Schedule.cron("*/15 * * * *", null);
        assertEquals(List.of(at("2026-11-22T10:15:00Z"), at("2026-11-22T10:30:00Z"), at("2026-11-22T10:45:00Z"),
                at("2026-11-22T11:00:00Z")), slots(quarter, at("2026-11-22T10:00:00Z"), 4));
        Schedule workHours = Schedule.cron("0 9-17/4 * * mon-fri", null);
        // Sunday 22 Nov -> Monday 23 Nov 09:00, 13:00, 17:00, then Tuesday 09:00.
        assertEquals(List.of(at("2026-11-23T09:00:00Z"), at("2026-11-23T13:00:00Z"), at("2026-11-23T17:00:00Z"),
                at("2026-11-24T09:00:00Z")), slots(workHours, at("2026-11-22T10:00:00Z"), 4));
        Schedule lists = Schedule.cron("5,35 3 1,15 JAN,jul *", null);
        assertEquals(List.of(at("2027-01-01T03:05:00Z"), at("2027-01-01T03:35:00Z"), at("2027-01-15T03:05:00Z")),
                slots(lists, at("2026-11-22T10:00:00Z"), 3));
        Schedule leap = Schedule.cron("0 0 29 feb *", null);
        assertEquals(at("2028-02-29T00:00:00Z"), leap.nextAfter(at("2026-11-22T00:00:00Z")).orElseThrow());
        Schedule sundaySeven = Schedule.cron("0 12 * * 7", null);
        assertEquals(at("2026-11-22T12:00:00Z"), sundaySeven.nextAfter(at("2026-11-22T00:00:00Z")).orElseThrow(),
                "7 is Sunday too");
        assertEquals(at("2026-12-01T00:00:00Z"), Schedule.cron("@monthly", null).nextAfter(at("2026-11-22T00:00:00Z"))
                .orElseThrow());
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEither() {
        // Vixie cron: the 1st of the month OR any Friday. 2026-11-27 is a Friday.
        CronExpression either = CronExpression.parse("0 0 1 * fri");
        assertEquals(Optional.of(LocalDateTime.parse("2026-11-27T00:00")), either.nextAfter(LocalDateTime.parse("2026-11-22T00:00")));
        assertEquals(Optional.of(LocalDateTime.parse("2026-12-01T00:00")), either.nextAfter(LocalDateTime.parse("2026-11-27T00:00")));
        // With a star in one of them, the other alone decides.
        CronExpression fridaysOnly = CronExpression.parse("0 0 * * fri");
        assertEquals(Optional.of(LocalDateTime.parse("2026-12-04T00:00")), fridaysOnly.nextAfter(LocalDateTime.parse("2026-11-27T00:00")));
    }

    @Test
    void manualNeverFires() {
        Schedule manual = ScheduleJson.parse(new JsonObject().put("type", "manual"));
        assertFalse(manual.fires());
        assertTrue(manual.nextAfter(at("2026-11-22T00:00:00Z")).isEmpty());
        assertFalse(ScheduleJson.parse(null).fires(), "no schedule is manual");
    }

    private static String badField(JsonObject json) {
        return assertThrows(InvalidScheduleException.class, () -> ScheduleJson.parse(json)).field();
    }

    private static String badCron(String expression) {
        return badField(new JsonObject().put("type", "cron").put("expression", expression));
    }

    @Test
    void aBadScheduleNamesTheField() {
        assertEquals("schedule.type", badField(new JsonObject()));
        assertEquals("schedule.type", badField(new JsonObject().put("type", "hourly")));
        assertEquals("schedule.at", badField(new JsonObject().put("type", "daily")));
        assertEquals("schedule.at", badField(new JsonObject().put("type", "daily").put("at", "24:00")));
        assertEquals("schedule.at", badField(new JsonObject().put("type", "daily").put("at", "9am")));
        assertEquals("schedule.at", badField(new JsonObject().put("type", "daily").put("at", 930)));
        assertEquals("schedule.day", badField(new JsonObject().put("type", "weekly").put("day", "funday").put("at", "10:00")));
        assertEquals("schedule.zone", badField(new JsonObject().put("type", "daily").put("at", "10:00").put("zone", "Mars/Olympus")));
        assertEquals("schedule.expression", badField(new JsonObject().put("type", "cron")));
        assertEquals("schedule.every", badField(new JsonObject().put("type", "daily").put("at", "10:00").put("every", 2)));
        assertEquals("schedule.expression", badCron("* * * *"));
        assertEquals("schedule.expression", badCron("@fortnightly"));
        assertEquals("schedule.expression.minute", badCron("60 * * * *"));
        assertEquals("schedule.expression.minute", badCron("*/0 * * * *"));
        assertEquals("schedule.expression.hour", badCron("0 5-2 * * *"));
        assertEquals("schedule.expression.hour", badCron("0 1,,2 * * *"));
        assertEquals("schedule.expression.day_of_month", badCron("0 0 0 * *"));
        assertEquals("schedule.expression.day_of_month", badCron("0 0 30 feb *"));
        assertEquals("schedule.expression.month", badCron("0 0 1 13 *"));
        assertEquals("schedule.expression.month", badCron("0 0 1 janvier *"));
        assertEquals("schedule.expression.day_of_week", badCron("0 0 * * funday"));
        assertEquals("schedule.expression.day_of_week", badCron("0 0 * * 8"));
        InvalidScheduleException e = assertThrows(InvalidScheduleException.class, () -> Schedule.cron("0 0 * * 8", null));
        assertTrue(e.getMessage().contains("outside 0-7"), e.getMessage());
    }
}
