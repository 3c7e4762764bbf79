package io.brandscan.acquire;

import io.brandscan.embedding.image.ImageFormat;

import java.net.URI;
import java.util.List;

/**
 * A successful download: the bytes (at most {@code max_bytes}, recognised as an image by their
 * magic bytes), the URL they finally came from, what the server called them, what they are,
 * and every hop on the way.
 *
 * @param contentType the server's Content-Type, or null; informational only, {@code format} is what counts
 */
public record DownloadedImage(byte[] bytes, URI finalUrl, String contentType, ImageFormat format, List<Hop> hops) {
    public DownloadedImage {
        hops = List.copyOf(hops);
        if (bytes == null || bytes.length == 0 || hops.isEmpty()) {
            throw new IllegalArgumentException("a downloaded image has bytes and at least one hop");
        }
    }

    /** How many redirects were followed. */
    public int redirects() {
        return hops.size() - 1;
    }
}
