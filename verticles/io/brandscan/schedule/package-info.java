/**
 * Scheduled scans: daily, weekly and cron schedules per brand, fired exactly once per slot by
 * any number of scheduler processes.
 *
 * <p>Pure: {@link io.brandscan.schedule.Schedule} (and {@link io.brandscan.schedule.ScheduleJson}
 * for the brand document's {@code schedule}) computes the next slot after an instant in a zone;
 * {@link io.brandscan.schedule.CronExpression} is standard five-field cron;
 * {@link io.brandscan.schedule.SlotPlan} collapses slots missed during downtime into one firing.
 * Bad input is an {@link io.brandscan.schedule.InvalidScheduleException} naming the field.
 *
 * <p>With MongoDB: {@link io.brandscan.schedule.BrandSchedules} owns the scheduling fields of the
 * {@code brands} collection and claims a slot with one conditional update of {@code next_slot};
 * {@link io.brandscan.schedule.SchedulerVerticle} ticks, claims and hands each fired slot to a
 * pluggable starter as a {@link io.brandscan.schedule.ScheduledScan}.
 */
package io.brandscan.schedule;
