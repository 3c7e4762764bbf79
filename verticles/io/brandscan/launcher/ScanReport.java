package io.brandscan.launcher;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanFailure;
import io.brandscan.store.Finding;
import io.brandscan.store.FindingQuery;
import io.brandscan.store.Page;
import io.brandscan.store.ScanDocuments;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a finished local scan found: the scan (state, counts, error), its findings (the scored
 * listings the scorer called infringing, highest score first, each with its breakdown) and its
 * failures (url and error). {@link #toJson()} is the {@code scan --json} document;
 * {@link #table()} is what a person reads at the end of {@code scan} and {@code demo}.
 */
record ScanReport(Scan scan, List<Finding> findings, List<ScanFailure> failures) {
    private static final int PAGE = 200;

    /** Reads every scored listing of the scan page by page and keeps the infringing ones. */
    static Future<ScanReport> read(ScanStore store, Scan scan) {
        return infringing(store, scan, Page.first(PAGE), new ArrayList<>())
                .map(found -> new ScanReport(scan, found, scan.failures()));
    }

    private static Future<List<Finding>> infringing(ScanStore store, Scan scan, Page page, List<Finding> into) {
        return store.findings().find(scan.clientId(), scan.id(), FindingQuery.all(page)).compose(batch -> {
            batch.stream().filter(f -> f.breakdown().getBoolean("infringing", false)).forEach(into::add);
            return batch.size() < page.limit() ? Future.succeededFuture(into) : infringing(store, scan, page.next(), into);
        });
    }

    JsonObject toJson() {
        JsonObject scanJson = ScanDocuments.scanView(scan);
        scanJson.remove("failures");
        JsonArray found = new JsonArray();
        findings.forEach(f -> found.add(f.toJson()));
        JsonArray failed = new JsonArray();
        failures.forEach(f -> failed.add(new JsonObject().put("url", f.url()).put("error", f.error())));
        return new JsonObject().put("scan", scanJson).put("findings", found).put("failures", failed);
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "scan %s: %s, %d listings, %d scored, %d failed, %d findings%n",
                scan.id(), scan.state().wireName(), scan.counts().gathered(), scan.counts().scored(),
                scan.counts().failed(), findings.size()));
        if (scan.error() != null) {
            out.append("error: ").append(scan.error()).append('\n');
        }
        if (!findings.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%-6s %-6s %-6s %-44s %-24s %s%n", "score", "image", "text",
                    "title", "seller", "url"));
            for (Finding f : findings) {
                out.append(String.format(Locale.ROOT, "%-6.3f %-6.3f %-6.3f %-44s %-24s %s%n", f.score(),
                        part(f, "image"), part(f, "text"), cut(f.title(), 44),
                        cut(f.listing().getString("seller"), 24), f.url()));
            }
        }
        if (!failures.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n%d failed (first %d):%n", scan.failureTotal(),
                    Math.min(10, failures.size())));
            failures.stream().limit(10).forEach(f -> out.append("  ").append(f.url()).append("  ")
                    .append(cut(f.error(), 100)).append('\n'));
        }
        return out.toString();
    }

    private static double part(Finding f, String name) {
        JsonObject part = f.breakdown().getJsonObject(name);
        return part == null ? 0 : part.getDouble("score", 0.0);
    }

    private static String cut(String s, int width) {
        if (s == null) {
            return "";
        }
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
