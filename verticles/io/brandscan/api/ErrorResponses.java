package io.brandscan.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's one failure handler: every refusal and error leaves as
 * {@code {"error": code, "message": text}} (plus {@code field} for a validation error, plus
 * {@code limit} and a {@code Retry-After} header for a 429). OpenAPI validation failures become
 * 400 naming the parameter or the body's JSON path; statuses raised by Vert.x Web itself (404,
 * 405, 413 from the body limit) get the same shape. Anything unexpected is a 500 whose message
 * says nothing of the internals; the cause goes to the log.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final Pattern PARAMETER = Pattern.compile("parameter (\\S+?)[ .:]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private ErrorResponses() {
    }

    public static void handle(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException e) {
            JsonObject body = body(e.error(), e.getMessage()).put("field", e.field());
            if (e.retryAfterSeconds() != null) {
                ctx.response().putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            if (e.status() == 429 && e.field() != null) {
                body.remove("field");
                body.put("limit", e.field());
            }
            write(ctx.response(), e.status(), body);
        } else if (failure instanceof DecodeException) {
            write(ctx.response(), 400, body("invalid_request", "the body is not valid JSON").put("field", "body"));
        } else if (failure instanceof ValidatorException e) {
            String field = field(e);
            write(ctx.response(), 400, body("invalid_request", message(e, field)).put("field", field));
        } else if (failure == null || ctx.statusCode() != -1 && ctx.statusCode() < 500) {
            int status = ctx.statusCode() == -1 ? 500 : ctx.statusCode();
            write(ctx.response(), status, forStatus(status));
        } else {
            LOG.error("unexpected failure {} {}", ctx.request().method(), ctx.request().path(), failure);
            write(ctx.response(), 500, body("internal_error", "the request could not be completed"));
        }
    }

    /** The body for a status the router raised itself (404, 405, 413...). */
    public static JsonObject forStatus(int status) {
        return switch (status) {
            case 400 -> body("invalid_request", "the request is malformed");
            case 401 -> body("unauthorized", "a valid credential is required");
            case 403 -> body("forbidden", "not allowed");
            case 404 -> body("not_found", "no such resource");
            case 405 -> body("method_not_allowed", "this path does not accept this method");
            case 413 -> body("payload_too_large", "the request body is over the size limit");
            case 415 -> body("unsupported_media_type", "the content type is not accepted here");
            default -> body(status >= 500 ? "internal_error" : "error", "the request could not be completed");
        };
    }

    public static void write(HttpServerResponse response, int status, JsonObject body) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    static JsonObject body(String error, String message) {
        return new JsonObject().put("error", error).put("message", message);
    }

    /** The field a validation error is about: a parameter name, or the body's JSON path ({@code provider.url}). */
    static String field(ValidatorException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof SchemaValidationException s && s.getOutputUnit() != null && message.contains("body")) {
            OutputUnit unit = deepest(s.getOutputUnit());
            String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
            String path = location.replaceFirst("^#", "").replaceFirst("^/", "").replace('/', '.');
            String error = unit.getError() == null ? "" : unit.getError();
            Matcher quoted = QUOTED.matcher(error);
            // A missing or unknown property is reported at its parent; the name is in the error text.
            if ((error.contains("required property") || error.contains("additional propert")) && quoted.find()
                    && !path.equals(quoted.group(1)) && !path.endsWith("." + quoted.group(1))) {
                path = path.isEmpty() ? quoted.group(1) : path + "." + quoted.group(1);
            }
            return path.isEmpty() ? "body" : path;
        }
        Matcher m = PARAMETER.matcher(message + " ");
        return m.find() ? m.group(1) : (message.contains("body") ? "body" : null);
    }

    /** The most specific error: the one whose instance location is deepest (the outer ones only say "does not match"). */
    private static OutputUnit deepest(OutputUnit unit) {
        OutputUnit best = unit;
        java.util.ArrayDeque<OutputUnit> todo = new java.util.ArrayDeque<>();
        todo.add(unit);
        while (!todo.isEmpty()) {
            OutputUnit u = todo.poll();
            if (u.getError() != null && depth(u) > depth(best) || best.getError() == null && u.getError() != null) {
                best = u;
            }
            if (u.getErrors() != null) {
                todo.addAll(u.getErrors());
            }
        }
        return best;
    }

    private static int depth(OutputUnit u) {
        String location = u.getInstanceLocation();
        return location == null ? -1 : location.length();
    }

    private static String message(ValidatorException e, String field) {
        String reason = e.getMessage();
        if (e instanceof SchemaValidationException s && s.getOutputUnit() != null) {
            OutputUnit unit = deepest(s.getOutputUnit());
            if (unit.getError() != null) {
                reason = unit.getError();
            }
        }
        return field == null || reason.contains(field) ? reason : field + ": " + reason;
    }
}
