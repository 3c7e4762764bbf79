package io.brandscan.registry;

import java.nio.charset.StandardCharsets;

/**
 * One URL's result as the registry keeps it: the url, the embedding as 32-bit floats (or null),
 * and every other field of the submitted result object as its raw JSON members, so the result
 * is returned as sent without holding a tree of boxed values per float.
 *
 * <p>{@code otherMembers} is the UTF-8 text of the remaining members without braces, e.g.
 * {@code "s3_path":"s3://b/k","width":640}, or an empty array. Instances are immutable: the
 * arrays are never written after construction and never handed out for writing.
 */
public final class StoredResult {
    private final String url;
    private final float[] embedding;
    private final byte[] otherMembers;

    public StoredResult(String url, float[] embedding, byte[] otherMembers) {
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("url must be a non-empty string");
        }
        this.url = url;
        this.embedding = embedding;
        this.otherMembers = otherMembers == null ? new byte[0] : otherMembers;
    }

    public String url() {
        return url;
    }

    /** The embedding, or null when the result carried none. Callers must not modify it. */
    public float[] embedding() {
        return embedding;
    }

    /** The other members' raw JSON (no braces); callers must not modify it. */
    public byte[] otherMembers() {
        return otherMembers;
    }

    public String otherMembersJson() {
        return new String(otherMembers, StandardCharsets.UTF_8);
    }

    /**
     * Heap this result costs, estimated from the layout of a 64-bit JVM with compressed
     * references: object headers, the float array, the url's bytes and the raw members. The
     * memory budget is charged with this figure; bench/ measures how close it is to the truth.
     */
    public long estimatedBytes() {
        long bytes = 24 + 40 + url.length() + 16 + otherMembers.length;
        if (embedding != null) {
            bytes += 16 + 4L * embedding.length;
        }
        return bytes;
    }
}
