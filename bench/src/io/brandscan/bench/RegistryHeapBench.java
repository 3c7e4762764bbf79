package io.brandscan.bench;

import io.brandscan.registry.ActiveBrandRegistry;
import io.brandscan.registry.RegistryLimits;
import io.brandscan.registry.SubmitBodyParser;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Random;

/**
 * Heap bytes per stored result, measured in-process: N results, each with a 1280-float
 * embedding, a realistic ~60-character url and an s3_path, are parsed by the same
 * {@link SubmitBodyParser} the HTTP path uses and stored in an {@link ActiveBrandRegistry}.
 * Heap used (after repeated System.gc()) before and after, divided by N, is compared with the raw
 * float bytes plus the url, and with the registry's own estimate ({@code bytes() / N}).
 *
 * <p>Usage: {@code RegistryHeapBench [N] [floats]}; prints one {@code RESULT key=value ...} line.
 */
public final class RegistryHeapBench {
    private RegistryHeapBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int floats = args.length > 1 ? Integer.parseInt(args[1]) : 1280;
        String brand = "heap-bench-brand";
        ActiveBrandRegistry registry = new ActiveBrandRegistry(Clock.systemUTC(),
                new RegistryLimits(60_000, 3_600_000, Long.MAX_VALUE / 2));
        registry.start(brand, n);
        // A few distinct embedding texts, rotated: formatting 64M floats would dominate the run,
        // and the parser allocates a fresh float[] per body either way.
        Random random = new Random(42);
        String[] embeddings = new String[16];
        for (int e = 0; e < embeddings.length; e++) {
            embeddings[e] = embedding(floats, random);
        }
        // Warm the parser on throw-away bodies so its classes and buffers are in the baseline.
        for (int i = 0; i < 100; i++) {
            SubmitBodyParser.parse(body(brand, "https://warm.example.com/" + i, embeddings[i % embeddings.length]));
        }
        long before = usedAfterGc();
        long urlChars = 0;
        for (int i = 0; i < n; i++) {
            // ~60 chars, e.g. https://www.market-example.com/itm/0000012345/listing-photo.jpg
            String url = String.format(Locale.ROOT, "https://www.market-example.com/itm/%010d/listing-photo.jpg", i);
            urlChars += url.length();
            SubmitBodyParser.Submit submit = SubmitBodyParser.parse(body(brand, url, embeddings[i % embeddings.length]));
            registry.submit(submit.brand(), submit.result());
        }
        long after = usedAfterGc();
        if (registry.resultCount() != n) {
            throw new IllegalStateException("stored " + registry.resultCount() + " results, expected " + n);
        }
        double measured = (after - before) / (double) n;
        double raw = floats * 4.0 + urlChars / (double) n;
        double estimate = registry.bytes() / (double) n;
        System.out.printf(Locale.ROOT,
                "RESULT n=%d floats=%d measured_bytes=%.1f raw_bytes=%.1f estimate_bytes=%.1f ratio=%.3f estimate_ratio=%.3f%n",
                n, floats, measured, raw, estimate, measured / raw, estimate / measured);
        // Keep the registry reachable until after the second measurement.
        java.lang.ref.Reference.reachabilityFence(registry);
    }

    private static String embedding(int floats, Random random) {
        StringBuilder json = new StringBuilder(floats * 12);
        for (int i = 0; i < floats; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(String.format(Locale.ROOT, "%.7f", random.nextFloat() * 2 - 1));
        }
        return json.toString();
    }

    private static byte[] body(String brand, String url, String embedding) {
        StringBuilder json = new StringBuilder(embedding.length() + 200);
        json.append("{\"brand\":\"").append(brand).append("\",\"result\":{\"url\":\"").append(url)
                .append("\",\"embedding\":[").append(embedding);
        json.append("],\"s3_path\":\"s3://brandscan-images/").append(brand).append('/')
                .append(url.hashCode() & 0x7fffffff).append(".jpg\"}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
