package io.brandscan.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads {@code brand.json} for the {@code scan} command: a JSON object with {@code name}
 * (required), {@code names}, {@code misspellings}, {@code keywords}, {@code reference_images}
 * (paths, relative to the brand file, or http(s) URLs), {@code reference_price},
 * {@code authorized_sellers}, {@code weights} and {@code thresholds}. Relative image paths are
 * made absolute here, because the scan's snapshot is read by workers that do not know where the
 * file was. Whatever is wrong is an {@link IllegalArgumentException} naming the field.
 */
final class BrandFile {
    private BrandFile() {
    }

    static JsonObject read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read brand file " + file + ": " + e.getMessage());
        }
        JsonObject brand;
        try {
            brand = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("brand file " + file + " is not a JSON object: " + e.getMessage());
        }
        if (!(brand.getValue("name") instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("brand file " + file + ": 'name' must be a non-empty string");
        }
        Object refs = brand.getValue("reference_images");
        if (refs != null && !(refs instanceof JsonArray)) {
            throw new IllegalArgumentException("brand file " + file + ": 'reference_images' must be an array");
        }
        JsonArray resolved = new JsonArray();
        Path base = file.toAbsolutePath().getParent();
        for (Object ref : refs == null ? new JsonArray() : (JsonArray) refs) {
            if (!(ref instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("brand file " + file + ": 'reference_images' entries must be strings");
            }
            resolved.add(isUrl(s) ? s : resolve(file, base, s));
        }
        return brand.copy().put("reference_images", resolved);
    }

    /** A stable brand id from the name: lower case, runs of anything else as one dash. */
    static String idOf(JsonObject brand) {
        String slug = brand.getString("name").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        slug = slug.length() > 64 ? slug.substring(0, 64) : slug;
        return slug.isEmpty() ? "brand" : slug;
    }

    private static boolean isUrl(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static String resolve(Path file, Path base, String ref) {
        Path path = ref.startsWith("file:") ? Path.of(URI.create(ref)) : base.resolve(ref).normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("brand file " + file + ": reference image " + ref + " is not a file ("
                    + path + ")");
        }
        return path.toString();
    }
}
