package io.brandscan.registry;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Plain blocking HTTP calls for tests, made from the test thread (never an event loop). */
final class TestHttp {
    /** A whole answer: status, content type and body. */
    record Answer(int status, String contentType, Buffer body) {
        JsonObject json() {
            return body.toJsonObject();
        }

        JsonArray array() {
            return body.toJsonArray();
        }

        String error() {
            return json().getString("error");
        }
    }

    private final HttpClient client;
    /** Every request starts on this one event-loop context, never on the test thread itself. */
    private final Context context;

    TestHttp(Vertx vertx, int port) {
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        context = vertx.getOrCreateContext();
    }

    Answer post(String path, String body) {
        return send(HttpMethod.POST, path, body == null ? null : Buffer.buffer(body));
    }

    Answer post(String path, JsonObject body) {
        return post(path, body.encode());
    }

    Answer get(String path) {
        return send(HttpMethod.GET, path, null);
    }

    Answer send(HttpMethod method, String path, Buffer body) {
        Promise<Answer> answer = Promise.promise();
        context.runOnContext(v -> client.request(new RequestOptions().setMethod(method).setURI(path)
                        .setIdleTimeout(10_000).setConnectTimeout(10_000))
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("content-type"), b)))
                .onComplete(answer));
        return answer.future().await();
    }
}
