package io.brandscan.pipeline.acquire;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcquireSettingsTest {
    @Test
    void everyKeyHasADefault() {
        AcquireSettings s = AcquireSettings.fromJson(null);
        assertEquals("acquire", s.queue());
        assertEquals("ai", s.aiQueue());
        assertEquals(16, s.maxInFlight());
        assertEquals(2, s.decodeWorkers());
        assertEquals(Duration.ofSeconds(30), s.embedTimeout());
        assertEquals(Duration.ofSeconds(10), s.sweepInterval());
        assertEquals(Duration.ofSeconds(30), s.stuckAfter());
        assertEquals(Duration.ofSeconds(5), s.gatherWait());
        assertEquals(Duration.ofSeconds(10), s.commitGrace());
        assertEquals(AcquireSettings.fromJson(new JsonObject()), s);
    }

    @Test
    void badValuesStopDeploymentWithTheKeyName() {
        assertMessage("max_in_flight", new JsonObject().put("max_in_flight", 0));
        assertMessage("decode_workers", new JsonObject().put("decode_workers", 0));
        assertMessage("sweep_interval_ms", new JsonObject().put("sweep_interval_ms", -1));
        assertMessage("stuck_after_ms", new JsonObject().put("stuck_after_ms", 0));
        assertMessage("queue", new JsonObject().put("queue", " "));
        assertMessage("gather_wait_ms", new JsonObject().put("gather_wait_ms", -5));
        assertMessage("commit_grace_ms", new JsonObject().put("commit_grace_ms", -1));
        assertMessage("commit_grace_ms", new JsonObject().put("commit_grace_ms", 25_001));
        assertEquals(Duration.ZERO, AcquireSettings.fromJson(new JsonObject().put("commit_grace_ms", 0)).commitGrace());
        assertMessage("wrong type", new JsonObject().put("max_in_flight", "many"));
        assertEquals(Duration.ZERO, AcquireSettings.fromJson(new JsonObject().put("sweep_interval_ms", 0)).sweepInterval());
    }

    private static void assertMessage(String fragment, JsonObject conf) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AcquireSettings.fromJson(conf));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
