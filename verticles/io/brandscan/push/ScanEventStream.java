package io.brandscan.push;

import io.brandscan.pipeline.ScanProgress;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One browser's Server-Sent Events stream of one scan: owns the response, the order of what it
 * has sent ({@link EventSequencer}) and its timers. It subscribes to live events first, then
 * reads persisted events after the browser's last id, so an event published during the read is
 * either read or buffered and, by sequence number, never lost and never sent twice. Events are
 * written strictly in sequence order; a missing one is waited for {@code gap_wait_ms}, re-read
 * from storage, and only then skipped.
 *
 * <p>Bounded: while catching up it reads one page at a time and waits for the response to
 * drain before the next (pull, no buffer grows); once live, a write that leaves the write queue
 * full drops the connection (counted): a slow browser reconnects and resumes from its last id
 * rather than holding memory here. The stream ends after the terminal state event; a browser
 * that already has that event gets 204, which tells EventSource not to reconnect.
 */
final class ScanEventStream {
    private static final Logger LOG = LoggerFactory.getLogger(ScanEventStream.class);

    private enum Phase { CATCHING_UP, LIVE, CLOSED }

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final ScanRepository scans;
    private final PushSettings settings;
    private final PushCounters counters;
    private final String clientId;
    private final String scanId;
    private final long lastId;
    private final EventSequencer<JsonObject> sequencer;
    private final Runnable onClose;
    private Phase phase = Phase.CATCHING_UP;
    private Runnable unsubscribe = () -> { };
    private long heartbeatTimer = -1;
    private long gapTimer = -1;
    private boolean headersWritten;
    private boolean terminalAlreadySent;

    ScanEventStream(Vertx vertx, HttpServerResponse response, ScanRepository scans, PushSettings settings,
                    PushCounters counters, String clientId, String scanId, long lastId, Runnable onClose) {
        this.vertx = vertx;
        this.response = response;
        this.scans = scans;
        this.settings = settings;
        this.counters = counters;
        this.clientId = clientId;
        this.scanId = scanId;
        this.lastId = lastId;
        this.onClose = onClose;
        this.sequencer = new EventSequencer<>(lastId, settings.maxPendingEvents());
    }

    /** Subscribes, then catches up from storage, then goes live. */
    void start(LiveScans live) {
        counters.streamsOpened.incrementAndGet();
        counters.streamsOpen.incrementAndGet();
        response.setWriteQueueMaxSize(settings.writeQueueMaxBytes());
        response.closeHandler(v -> close("browser closed"));
        response.exceptionHandler(e -> close("response error " + e));
        unsubscribe = live.subscribe(clientId, scanId, this::onLive);
        // Re-read a little before the browser's last id: only to learn whether it already has the
        // terminal event (then 204); the sequencer drops those events as repeats.
        catchUp(Math.max(0, lastId - settings.rereadWindow()));
    }

    private void catchUp(long after) {
        scans.eventsAfter(clientId, scanId, after, settings.catchupPage()).onComplete(read -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (read.failed()) {
                LOG.warn("sse catch-up read failed client_id={} scan_id={} error={}", clientId, scanId, String.valueOf(read.cause()));
                fail();
                return;
            }
            List<ScanEvent> page = read.result();
            long highest = after;
            for (ScanEvent e : page) {
                highest = Math.max(highest, e.sequence());
                JsonObject json = ScanProgress.toJson(e);
                if (e.sequence() <= lastId && isTerminal(json)) {
                    terminalAlreadySent = true;
                }
                if (!offer(e.sequence(), json)) {
                    return;
                }
            }
            if (!headersWritten && terminalAlreadySent && sequencer.pendingCount() == 0) {
                response.setStatusCode(204).end();
                close("already complete");
                return;
            }
            if (!flush()) {
                return;
            }
            if (page.size() == settings.catchupPage() && sequencer.hasGap()) {
                // A hole with a full page stored after it is history, not an insert still in
                // flight (those are at the tail): skip it now, or the held events would only grow.
                if (!skipGap()) {
                    return;
                }
            }
            long next = highest;
            if (page.size() < settings.catchupPage()) {
                goLive();
            } else if (response.writeQueueFull()) {
                response.drainHandler(v -> {
                    response.drainHandler(null);
                    catchUp(next);
                });
            } else {
                catchUp(next);
            }
        });
    }

    private void goLive() {
        phase = Phase.LIVE;
        ensureHeaders();
        if (!flush()) {
            return;
        }
        heartbeatTimer = vertx.setPeriodic(settings.heartbeatMs(), id -> {
            if (phase == Phase.LIVE) {
                response.write(": heartbeat\n\n");
                checkSlow();
            }
        });
    }

    private void onLive(JsonObject event) {
        Long seq = event.getLong("seq");
        if (phase == Phase.CLOSED || seq == null) {
            return;
        }
        if (offer(seq, event) && phase == Phase.LIVE) {
            flush();
        }
    }

    /** False when the stream was ended because too much waits. */
    private boolean offer(long seq, JsonObject event) {
        if (sequencer.offer(seq, event) == EventSequencer.Offer.OVERFLOW) {
            counters.droppedOverflow.incrementAndGet();
            LOG.info("sse stream dropped (pending overflow) client_id={} scan_id={} last_sent={}", clientId, scanId,
                    sequencer.lastSent());
            fail();
            return false;
        }
        return true;
    }

    /** Writes what may be sent now; false when the stream ended (terminal event, or a slow browser). */
    private boolean flush() {
        List<JsonObject> ready = sequencer.drain();
        if (!write(ready)) {
            return false;
        }
        if (sequencer.hasGap() && gapTimer < 0) {
            gapTimer = vertx.setTimer(settings.gapWaitMs(), id -> fillGap());
        }
        return phase != Phase.LIVE || checkSlow();
    }

    private boolean write(List<JsonObject> events) {
        if (events.isEmpty()) {
            return true;
        }
        ensureHeaders();
        for (JsonObject e : events) {
            response.write("id: " + e.getLong("seq") + "\nevent: " + e.getString("type", "progress")
                    + "\ndata: " + e.encode() + "\n\n");
            if (isTerminal(e)) {
                response.end();
                close("scan ended");
                return false;
            }
        }
        return true;
    }

    /** A missing sequence after gap_wait_ms: re-read it from storage, else give up on it. */
    private void fillGap() {
        gapTimer = -1;
        if (phase == Phase.CLOSED || !sequencer.hasGap()) {
            return;
        }
        scans.eventsAfter(clientId, scanId, sequencer.lastSent(), settings.catchupPage()).onComplete(read -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (read.succeeded()) {
                for (ScanEvent e : read.result()) {
                    if (!offer(e.sequence(), ScanProgress.toJson(e))) {
                        return;
                    }
                }
            }
            if (!write(sequencer.drain())) {
                return;
            }
            if (sequencer.hasGap() && !skipGap()) {
                return;
            }
            if (phase == Phase.LIVE) {
                flush();
            }
        });
    }

    /** Gives up on the missing sequences before the first held event; false when the stream ended. */
    private boolean skipGap() {
        long before = sequencer.lastSent();
        long skippedBefore = sequencer.skipped();
        List<JsonObject> after = sequencer.skipGap();
        long skipped = sequencer.skipped() - skippedBefore;
        counters.sequencesSkipped.addAndGet(skipped);
        LOG.warn("sse skipped missing events client_id={} scan_id={} after_seq={} count={}", clientId, scanId,
                before, skipped);
        return write(after);
    }

    private boolean checkSlow() {
        if (phase != Phase.CLOSED && response.writeQueueFull()) {
            counters.droppedSlow.incrementAndGet();
            LOG.info("sse stream dropped (slow reader) client_id={} scan_id={} last_sent={}", clientId, scanId,
                    sequencer.lastSent());
            fail();
            return false;
        }
        return phase != Phase.CLOSED;
    }

    private void ensureHeaders() {
        if (!headersWritten) {
            headersWritten = true;
            response.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            response.write("retry: 2000\n\n");
        }
    }

    /**
     * Ends the stream without a clean end: the browser reconnects with its last id. Always after
     * a 200 head, because EventSource gives up for good on any other status.
     */
    private void fail() {
        if (phase == Phase.CLOSED) {
            return;
        }
        close("dropped");
        ensureHeaders();
        response.reset();
    }

    private void close(String why) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        unsubscribe.run();
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        if (gapTimer >= 0) {
            vertx.cancelTimer(gapTimer);
        }
        counters.streamsOpen.decrementAndGet();
        onClose.run();
        LOG.debug("sse stream closed client_id={} scan_id={} last_sent={} why={}", clientId, scanId, sequencer.lastSent(), why);
    }

    static boolean isTerminal(JsonObject event) {
        if (!ScanEvent.Type.STATE.wireName().equals(event.getString("type"))) {
            return false;
        }
        try {
            return ScanState.fromWire(event.getString("state")).isTerminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
