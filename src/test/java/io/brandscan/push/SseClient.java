package io.brandscan.push;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A minimal EventSource for tests: opens {@code GET uri} on a Vert.x context, parses the
 * {@code text/event-stream} body into events as it arrives, and can pause reading (a slow
 * browser) or drop the connection (a browser that goes away mid-stream).
 */
final class SseClient {
    record Event(long id, String type, JsonObject data) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();
    private final Context context;
    private volatile HttpClientResponse response;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder body = new StringBuilder();

    private SseClient(Context context) {
        this.context = context;
    }

    static SseClient open(HttpClient client, Context context, String uri, MultiMap headers) {
        SseClient sse = new SseClient(context);
        context.runOnContext(v -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri);
            if (headers != null) {
                options.setHeaders(headers);
            }
            client.request(options).compose(req -> req.send()).onComplete(ar -> {
                if (ar.failed()) {
                    sse.status.completeExceptionally(ar.cause());
                    sse.ended.complete("failed: " + ar.cause());
                    return;
                }
                HttpClientResponse resp = ar.result();
                sse.response = resp;
                resp.handler(buf -> sse.onData(buf.toString()));
                resp.endHandler(e -> sse.ended.complete("end"));
                resp.exceptionHandler(e -> sse.ended.complete("error: " + e));
                resp.request().connection().closeHandler(c -> sse.ended.complete("closed"));
                sse.status.complete(resp.statusCode());
            });
        });
        return sse;
    }

    private void onData(String chunk) {
        body.append(chunk);
        pending.append(chunk);
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            long id = -1;
            String type = "message";
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (data != null) {
                events.add(new Event(id, type, new JsonObject(data)));
            }
        }
    }

    String body() {
        return body.toString();
    }

    int status() throws Exception {
        return status.get(30, TimeUnit.SECONDS);
    }

    void pause() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            response.pause();
            done.complete();
        });
        done.future().await();
    }

    void resume() {
        context.runOnContext(v -> response.resume());
    }

    /** Drops the connection, as a browser tab closing or a network blip does. */
    void drop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> response.request().connection().close().onComplete(x -> done.complete()));
        done.future().await();
    }

    List<Long> ids() {
        return events.stream().map(Event::id).toList();
    }

    static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
