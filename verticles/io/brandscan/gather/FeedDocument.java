package io.brandscan.gather;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a json-feed, parsed and validated: either a bare array of listings, or
 * {@code {"listings": [...], "next": "<url>"}} where {@code next} (absolute, or relative to
 * the page) names the following page and is absent or null on the last one. Entries are checked
 * one by one; the shape of the document itself must be right or the whole page is refused.
 */
public record FeedDocument(List<ListingJson.Parsed> entries, String next) {
    public static FeedDocument parse(Buffer body) throws UnreadableAnswer {
        Object root;
        try {
            root = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw new UnreadableAnswer(ProviderError.NOT_JSON, "feed is not JSON: " + firstLine(e.getMessage()));
        }
        JsonArray listings;
        String next = null;
        if (root instanceof JsonArray array) {
            listings = array;
        } else if (root instanceof JsonObject object) {
            Object inner = object.getValue("listings");
            if (!(inner instanceof JsonArray array)) {
                throw new UnreadableAnswer(ProviderError.WRONG_SHAPE, "feed object has no \"listings\" array (it is "
                        + ListingJson.describe(inner) + "); expected [...] or {\"listings\": [...], \"next\": url}");
            }
            listings = array;
            Object nextValue = object.getValue("next");
            if (nextValue != null && !(nextValue instanceof String)) {
                throw new UnreadableAnswer(ProviderError.WRONG_SHAPE, "feed \"next\" must be a URL string or null, not "
                        + ListingJson.describe(nextValue));
            }
            next = nextValue == null || ((String) nextValue).isBlank() ? null : ((String) nextValue).strip();
        } else {
            throw new UnreadableAnswer(ProviderError.WRONG_SHAPE, "feed is " + ListingJson.describe(root)
                    + "; expected [...] or {\"listings\": [...], \"next\": url}");
        }
        List<ListingJson.Parsed> entries = new ArrayList<>(listings.size());
        for (Object entry : listings) {
            entries.add(ListingJson.fromJson(entry));
        }
        return new FeedDocument(entries, next);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
