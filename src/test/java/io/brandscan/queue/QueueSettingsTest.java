package io.brandscan.queue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueueSettingsTest {
    @Test
    void defaultsNameThePipelineQueues() {
        QueueSettings s = QueueSettings.fromJson(new JsonObject());
        assertEquals("url-process-queue", s.queueName("acquire"));
        assertEquals("brand-gather-queue", s.queueName("gather"));
        assertEquals("brand-ai-phase-queue", s.queueName("ai"));
        assertEquals("url-process-queue-dlq", s.deadLetterName(s.queueName("acquire")));
        assertEquals(Duration.ofSeconds(20), s.extendEvery(), "a third of the 60 s visibility timeout");
        assertEquals(10, s.maxInFlight());
        assertEquals(5, s.maxReceiveCount());
    }

    @Test
    void refusesBoundsSqsWouldReject() {
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromJson(new JsonObject().put("receive_batch", 11)));
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromJson(new JsonObject().put("wait_time_s", 21)));
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromJson(new JsonObject().put("max_in_flight", 0)));
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromJson(new JsonObject().put("max_receive_count", 0)));
        assertThrows(IllegalArgumentException.class, () -> QueueSettings.fromJson(
                new JsonObject().put("visibility_timeout_s", 10).put("extend_every_s", 10)),
                "extending no sooner than the timeout lets messages reappear mid-work");
    }

    @Test
    void backoffDoublesPerReceiveUpToTheCap() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(2), backoff.after(1));
        assertEquals(Duration.ofSeconds(4), backoff.after(2));
        assertEquals(Duration.ofSeconds(16), backoff.after(4));
        assertEquals(Duration.ofSeconds(30), backoff.after(5));
        assertEquals(Duration.ofSeconds(30), backoff.after(1000), "no overflow for huge counts");
        assertEquals(Duration.ofSeconds(2), backoff.after(0), "a missing count is treated as the first");
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }
}
