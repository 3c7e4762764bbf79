package io.brandscan.registry;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The registry's JSON at its edges: replies, status documents, events and result arrays. */
public final class RegistryJson {
    private RegistryJson() {
    }

    /** The submit/fail/claim reply; written by hand because it is on the hot path. */
    public static String outcome(BatchOutcome o) {
        StringBuilder sb = new StringBuilder(160)
                .append("{\"should_commit\":").append(o.shouldCommit())
                .append(",\"duplicate\":").append(o.duplicate())
                .append(",\"completed\":").append(o.completed())
                .append(",\"failed\":").append(o.failed())
                .append(",\"expected\":").append(o.expected());
        if (o.lease() != null) {
            sb.append(",\"lease\":");
            quote(sb, o.lease().token());
            sb.append(",\"lease_expires_at\":").append(o.lease().expiresAtMillis());
        }
        return sb.append('}').toString();
    }

    public static JsonObject status(BatchStatus s) {
        return new JsonObject()
                .put("brand", s.brand())
                .put("expected", s.expected())
                .put("completed", s.completed())
                .put("succeeded", s.succeeded())
                .put("failed", s.failed())
                .put("duplicates", s.duplicates())
                .put("commit_state", s.commitState().wireName())
                .put("lease_expires_at", s.leaseExpiresAtMillis())
                .put("lease_grants", s.leaseGrants())
                .put("created_at", s.createdAtMillis())
                .put("updated_at", s.updatedAtMillis())
                .put("bytes", s.bytes());
    }

    public static JsonObject event(String type, BatchStatus s, long atMillis) {
        return status(s).put("type", type).put("at", atMillis);
    }

    public static JsonArray statuses(List<BatchStatus> list) {
        JsonArray out = new JsonArray();
        list.forEach(s -> out.add(status(s)));
        return out;
    }

    public static JsonArray failures(List<FailedUrl> failures) {
        JsonArray out = new JsonArray();
        failures.forEach(f -> out.add(new JsonObject().put("url", f.url()).put("error", f.error())));
        return out;
    }

    public static JsonObject error(RegistryError error, String message) {
        return new JsonObject().put("error", error.code()).put("message", message);
    }

    /** Appends one result as a JSON object: url, embedding, then the other members as sent. */
    public static void appendResult(Buffer out, StoredResult r) {
        StringBuilder sb = new StringBuilder(64 + (r.embedding() == null ? 0 : r.embedding().length * 12));
        sb.append("{\"url\":");
        quote(sb, r.url());
        float[] embedding = r.embedding();
        if (embedding != null) {
            sb.append(",\"embedding\":[");
            for (int i = 0; i < embedding.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(embedding[i]);
            }
            sb.append(']');
        }
        out.appendString(sb.toString());
        if (r.otherMembers().length > 0) {
            out.appendByte((byte) ',').appendBytes(r.otherMembers());
        }
        out.appendByte((byte) '}');
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}
