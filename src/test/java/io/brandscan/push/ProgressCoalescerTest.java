package io.brandscan.push;

import io.brandscan.time.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressCoalescerTest {
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @Test
    void aBurstIsThinnedToOnePerIntervalAndItsLastEventIsKept() {
        ProgressCoalescer<Long> c = new ProgressCoalescer<>(Duration.ofMillis(250), 100, clock);
        List<Long> out = new ArrayList<>();
        for (long seq = 1; seq <= 100; seq++) {
            out.addAll(c.offer("a/s1", seq, false, false, seq));
            clock.advanceMillis(10); // 100 events in 1 s
            out.addAll(c.due());
        }
        clock.advanceMillis(250);
        out.addAll(c.due());
        // 1 s at 4 per second: at most 5 (one per 250 ms slot plus the first), and the newest is delivered
        assertTrue(out.size() <= 6, "forwarded " + out);
        assertEquals(100L, out.get(out.size() - 1));
        for (int i = 1; i < out.size(); i++) {
            assertTrue(out.get(i) > out.get(i - 1), "forwarded in order: " + out);
        }
    }

    @Test
    void stateChangesAlwaysPassAndTerminalForgetsTheScan() {
        ProgressCoalescer<Long> c = new ProgressCoalescer<>(Duration.ofMillis(250), 100, clock);
        assertEquals(List.of(1L), c.offer("a/s1", 1, false, false, 1L));
        assertEquals(List.of(), c.offer("a/s1", 2, false, false, 2L));
        assertEquals(List.of(3L), c.offer("a/s1", 3, true, false, 3L));
        assertEquals(List.of(4L), c.offer("a/s1", 4, true, false, 4L));
        clock.advanceMillis(300);
        assertEquals(List.of(), c.due(), "held progress 2 was superseded by state 3");
        assertEquals(List.of(9L), c.offer("a/s1", 9, true, true, 9L));
        assertEquals(0, c.trackedScans());
    }

    @Test
    void scansAreThinnedIndependentlyAndTheTableIsBounded() {
        ProgressCoalescer<String> c = new ProgressCoalescer<>(Duration.ofMillis(250), 2, clock);
        assertEquals(List.of("a1"), c.offer("a", 1, false, false, "a1"));
        assertEquals(List.of("b1"), c.offer("b", 1, false, false, "b1"));
        assertEquals(List.of("x1"), c.offer("x", 1, false, false, "x1"));
        assertEquals(List.of("x2"), c.offer("x", 2, false, false, "x2"), "an untracked scan passes unthinned");
        assertEquals(2, c.untracked());
        assertEquals(List.of(), c.offer("a", 2, false, false, "a2"));
        assertEquals(List.of(), c.offer("a", 1, false, false, "a1-again"), "older than held");
        clock.advanceMillis(250);
        assertEquals(List.of("a2"), c.due());
        clock.advanceMillis(250);
        assertEquals(List.of(), c.due());
        assertEquals(0, c.trackedScans(), "idle scans are forgotten");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProgressCoalescer.intervalFor(0));
        assertThrows(IllegalArgumentException.class, () -> new ProgressCoalescer<>(Duration.ZERO, 1, clock));
        assertEquals(Duration.ofMillis(250), ProgressCoalescer.intervalFor(4));
    }
}
