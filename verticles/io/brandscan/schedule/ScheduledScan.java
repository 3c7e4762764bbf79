package io.brandscan.schedule;

import io.brandscan.scan.ScanIds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A slot the scheduler has claimed and asks the scan starter to run: the brand, the slot it
 * claimed, when it fired, and how many slots it stands for ({@code missedSlots} &gt; 1 after
 * downtime, when several passed slots fire once). {@link #scanId()} is the same for the same
 * (client, brand, slot), so a starter that uses it as the scan id cannot start a slot twice even
 * if it is handed the slot twice. Immutable.
 */
public record ScheduledScan(String clientId, String brandId, Instant slot, Instant firedAt, int missedSlots,
                            String schedule) {
    public ScheduledScan {
        ScanIds.requireValid("client_id", clientId);
        Objects.requireNonNull(brandId, "brand_id");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(firedAt, "fired_at");
        if (missedSlots < 1) {
            throw new IllegalArgumentException("a fired slot stands for at least one slot");
        }
    }

    /** {@code sched-} and 40 hex digits of SHA-256 over (client, brand, slot): a valid, deterministic scan id. */
    public String scanId() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {clientId, brandId, Long.toString(slot.toEpochMilli())}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return "sched-" + HexFormat.of().formatHex(sha.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
