package io.brandscan.push;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSequencerTest {
    @Test
    void overlappingSourcesAreSentOnceInOrder() {
        EventSequencer<Long> s = new EventSequencer<>(3, 100);
        List<Long> sent = new ArrayList<>();
        // live 6 arrives before the catch-up read returns 4, 5, 6 (and 2, 3, re-read before the last id)
        assertEquals(EventSequencer.Offer.ACCEPTED, s.offer(6, 6L));
        sent.addAll(s.drain());
        assertTrue(sent.isEmpty());
        assertTrue(s.hasGap());
        for (long seq : new long[] {2, 3, 4, 5, 6}) {
            s.offer(seq, seq);
        }
        sent.addAll(s.drain());
        assertEquals(EventSequencer.Offer.DUPLICATE, s.offer(5, 5L));
        assertEquals(EventSequencer.Offer.ACCEPTED, s.offer(7, 7L));
        sent.addAll(s.drain());
        assertEquals(List.of(4L, 5L, 6L, 7L), sent);
        assertFalse(s.hasGap());
        assertEquals(7, s.lastSent());
    }

    @Test
    void aGapHoldsLaterEventsUntilFilledOrSkipped() {
        EventSequencer<Long> s = new EventSequencer<>(0, 100);
        s.offer(1, 1L);
        s.offer(3, 3L);
        s.offer(4, 4L);
        assertEquals(List.of(1L), s.drain());
        assertTrue(s.hasGap());
        assertEquals(List.of(3L, 4L), s.skipGap());
        assertEquals(1, s.skipped());
        assertEquals(EventSequencer.Offer.DUPLICATE, s.offer(2, 2L), "a skipped event arriving late is not sent out of order");
    }

    @Test
    void pendingIsBounded() {
        EventSequencer<Long> s = new EventSequencer<>(0, 3);
        LongStream.of(2, 3, 4).forEach(seq -> assertEquals(EventSequencer.Offer.ACCEPTED, s.offer(seq, seq)));
        assertEquals(EventSequencer.Offer.OVERFLOW, s.offer(5, 5L));
        assertEquals(3, s.pendingCount());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EventSequencer<>(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> new EventSequencer<>(0, 0));
    }
}
