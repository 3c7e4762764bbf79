package io.brandscan.api;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** Blocking HTTP calls to the API for tests, started on a Vert.x context (never the test thread). */
final class ApiHttp {
    /** A whole answer. */
    record Answer(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return body.toJsonObject();
        }

        JsonArray items() {
            return json().getJsonArray("items");
        }

        String error() {
            return json().getString("error");
        }

        String field() {
            return json().getString("field");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient client;
    private final Context context;

    ApiHttp(Vertx vertx, int port) {
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
        context = vertx.getOrCreateContext();
    }

    Answer get(String path, String token) {
        return send(HttpMethod.GET, path, token, null, null);
    }

    Answer delete(String path, String token) {
        return send(HttpMethod.DELETE, path, token, null, null);
    }

    Answer post(String path, String token, JsonObject body) {
        return send(HttpMethod.POST, path, token, body == null ? null : body.toBuffer(), "application/json");
    }

    Answer put(String path, String token, JsonObject body) {
        return send(HttpMethod.PUT, path, token, body.toBuffer(), "application/json");
    }

    Answer send(HttpMethod method, String path, String token, Buffer body, String contentType) {
        Promise<Answer> answer = Promise.promise();
        context.runOnContext(v -> {
            RequestOptions options = new RequestOptions().setMethod(method).setURI(path)
                    .setIdleTimeout(30_000).setConnectTimeout(10_000);
            if (token != null) {
                options.putHeader("Authorization", "Bearer " + token);
            }
            if (contentType != null) {
                options.putHeader("content-type", contentType);
            }
            client.request(options)
                    .compose(req -> body == null ? req.send() : req.send(body))
                    .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b)))
                    .onComplete(answer);
        });
        try {
            return answer.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }
}
