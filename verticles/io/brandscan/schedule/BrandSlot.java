package io.brandscan.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * The scheduling part of one brand document, as {@link BrandSchedules} reads it: the document's
 * own {@code _id} (kept as stored, whatever the API chose), its client and brand, its raw
 * {@code schedule} (as stored: normally a JSON object, but whatever was written), the stored {@code next_slot} (empty when not yet planned) and
 * {@code planned_for}, the description of the schedule that slot was computed from.
 */
public record BrandSlot(Object documentId, String clientId, String brandId, Object schedule,
                        Optional<Instant> nextSlot, Optional<String> plannedFor) {
}
