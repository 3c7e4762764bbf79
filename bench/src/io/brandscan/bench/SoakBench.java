package io.brandscan.bench;

import static io.brandscan.bench.BenchArgs.intArg;
import static io.brandscan.bench.BenchArgs.stringArg;

import io.brandscan.launcher.GroupProcesses;
import io.brandscan.launcher.GroupProcesses.GroupProcess;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanState;
import io.brandscan.store.Finding;
import io.brandscan.store.FindingQuery;
import io.brandscan.store.Page;
import io.brandscan.store.ScanStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: the production shape on one machine (devservices, registry, api and two workers as
 * separate JVMs on loopback) under many scans at once. Three clients are made through the REST
 * API with the admin token, each registers the demo brand over a {@link SoakMarketplace} feed
 * that gives every scan its own listings, and then {@code --scans} scans of {@code --listings}
 * listings each are started across the clients at once. When all have ended it reports the total
 * throughput, the per-scan latency (created to complete), the registry JVM's peak memory (peak
 * RSS from /proc, and the largest heap used and registry bytes seen on its /metrics), and checks
 * every scan exactly: complete; gathered, acquired + failed, committed and scored all equal to
 * the listings; one finding document per listing, no url in two scans; the findings count equal
 * to the findings flagged infringing; precision and recall against the marketplace's ground truth
 * at least 0.9 (the demo's tolerance). Any miss fails the run (exit 1) after the report is written.
 *
 * <p>Arguments: {@code --scans N} (20), {@code --listings N} (500, at most 1,000), {@code --clients N} (3),
 * {@code --timeout-s N} (3600), {@code --out file} (bench/results/soak.md).
 */
public final class SoakBench {
    private static final String ADMIN = "soak-admin-token-0123456789";
    private static final String SECRET = "soak-jwt-secret-0123456789abcdef0123456789";
    private static final double MIN_PRECISION = 0.9;
    private static final double MIN_RECALL = 0.9;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One scan of the soak: who started it, when, and how it ended. */
    private static final class Run {
        final int n;
        final String client;
        final String key;
        final String id;
        String state = "queued";
        Scan scan;
        int tp;
        int fp;
        int fn;
        final List<String> problems = new ArrayList<>();

        Run(int n, String client, String key, String id) {
            this.n = n;
            this.client = client;
            this.key = key;
            this.id = id;
        }

        double latencySeconds() {
            Instant done = scan.stateTimes().getOrDefault(ScanState.COMPLETE, scan.updatedAt());
            return Duration.between(scan.createdAt(), done).toMillis() / 1000.0;
        }
    }

    /** The registry JVM's memory as sampled while the scans ran. */
    private static final class RegistryMemory {
        final AtomicLong peakHeapUsed = new AtomicLong();
        final AtomicLong peakRegistryBytes = new AtomicLong();
        final AtomicLong peakBatches = new AtomicLong();
        final AtomicLong peakRssKb = new AtomicLong();
        volatile long hwmKb;
        volatile int samples;
    }

    private SoakBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int scans = intArg(args, "--scans", 20);
        int listings = intArg(args, "--listings", 500);
        int clients = intArg(args, "--clients", 3);
        long timeoutS = intArg(args, "--timeout-s", 3600);
        Path out = Path.of(stringArg(args, "--out", "bench/results/soak.md"));
        if (scans < 1 || listings < 1 || listings > 1_000 || clients < 1) {
            // 1,000 is the json-feed provider's default max_listings: a bigger slice would be cut.
            throw new IllegalArgumentException("--scans and --clients >= 1, --listings 1..1000");
        }
        Vertx vertx = Vertx.vertx();
        SoakMarketplace market = new SoakMarketplace(listings, scans);
        System.out.printf("soak: %d scans x %d listings across %d clients; preparing the marketplace%n", scans, listings, clients);
        vertx.deployVerticle(market).await();

        int sqsPort = GroupProcesses.freePort();
        int s3Port = GroupProcesses.freePort();
        int mongoPort = GroupProcesses.freePort();
        int registryPort = GroupProcesses.freePort();
        int apiPort = GroupProcesses.freePort();
        JsonObject limits = new JsonObject().put("concurrent_scans", scans).put("scans_per_day", 100_000)
                .put("scans_per_month", 1_000_000).put("provider_requests_per_minute", 6_000)
                .put("provider_requests_burst", 6_000);
        JsonObject adapters = new JsonObject()
                .put("sqs", new JsonObject().put("endpoint", "http://127.0.0.1:" + sqsPort).put("access_key", "x")
                        .put("secret_key", "x").put("create_queues", true))
                .put("s3", new JsonObject().put("endpoint", "http://127.0.0.1:" + s3Port).put("access_key", "brandscan")
                        .put("secret_key", "brandscan-secret").put("path_style", true).put("create_bucket", true))
                .put("mongo", new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort)
                        .put("db_name", "brandscan"))
                .put("limits", limits)
                .put("ops", new JsonObject().put("port", -1));
        Path logs = Path.of("target", "soak");
        RegistryMemory memory = new RegistryMemory();
        List<Run> runs = new ArrayList<>();
        List<String> sharing = new ArrayList<>();
        long startedNanos;
        long endedNanos;
        Instant startedAt;
        try (GroupProcesses stack = new GroupProcesses(logs, Path.of("bench", "logback-soak.xml"))) {
            GroupProcess devservices = stack.start("devservices", "devservices", new JsonObject()
                    .put("devservices", new JsonObject()
                            .put("sqs", new JsonObject().put("port", sqsPort))
                            .put("s3", new JsonObject().put("port", s3Port).put("directory", ""))
                            .put("mongo", new JsonObject().put("port", mongoPort).put("h2_file", "")))
                    .put("ops", new JsonObject().put("port", -1)), "-Xmx2g");
            GroupProcess registry = stack.start("registry", "registry", new JsonObject()
                    .put("registry", new JsonObject().put("host", "127.0.0.1").put("port", registryPort))
                    .put("ops", new JsonObject().put("port", -1)), "-Xmx512m");
            stack.awaitUp(devservices, sqsPort, s3Port, mongoPort);
            stack.awaitUp(registry, registryPort);
            GroupProcess api = stack.start("api", "api", adapters.copy()
                    .put("api", new JsonObject().put("host", "127.0.0.1").put("port", apiPort).put("admin_token", ADMIN)
                            .put("jwt_secret", SECRET))
                    .put("schedule", new JsonObject().put("enabled", false)), "-Xmx512m");
            JsonObject workers = adapters.copy()
                    .put("registry_client", new JsonObject().put("host", "127.0.0.1").put("port", registryPort))
                    .put("gather", new JsonObject().put("allow", new JsonArray().add(market.hostAndPort())))
                    .put("download", new JsonObject().put("allow", new JsonArray().add(market.hostAndPort())));
            // Two workers on one machine: the ops port is off for both (a fixed one would clash).
            GroupProcess workersA = stack.start("workers-a", "workers", workers.copy(), "-Xmx1g");
            GroupProcess workersB = stack.start("workers-b", "workers", workers.copy(), "-Xmx1g");
            stack.awaitUp(api, apiPort);
            stack.awaitUp(workersA);
            stack.awaitUp(workersB);
            System.out.println("soak: stack up (devservices, registry, api, workers x2); logs in " + logs);

            List<String[]> keys = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                JsonObject client = call("POST", apiPort, "/api/v1/clients", ADMIN,
                        new JsonObject().put("name", "Soak client " + c), 201);
                String key = client.getString("api_key");
                call("PUT", apiPort, "/api/v1/brands/astra", key, market.brandDocument(), 201);
                keys.add(new String[] {client.getString("id"), key});
            }

            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-registry-sampler");
                t.setDaemon(true);
                return t;
            });
            long registryPid = registry.process().pid();
            sampler.scheduleAtFixedRate(() -> sample(memory, registryPid, registryPort), 0, 500, TimeUnit.MILLISECONDS);

            startedAt = Instant.now();
            startedNanos = System.nanoTime();
            for (int i = 0; i < scans; i++) {
                String[] client = keys.get(i % clients);
                JsonObject scan = call("POST", apiPort, "/api/v1/scans", client[1], new JsonObject().put("brand_id", "astra"), 202);
                runs.add(new Run(i + 1, client[0], client[1], scan.getString("id")));
            }
            System.out.printf("soak: %d scans started in %.1f s%n", scans, (System.nanoTime() - startedNanos) / 1e9);

            long deadline = startedNanos + TimeUnit.SECONDS.toNanos(timeoutS);
            long lastReport = 0;
            while (true) {
                int done = 0;
                long acquired = 0;
                for (Run run : runs) {
                    if (!isTerminal(run.state)) {
                        JsonObject now = call("GET", apiPort, "/api/v1/scans/" + run.id, run.key, null, 200);
                        run.state = now.getString("state");
                        acquired += now.getJsonObject("counts", new JsonObject()).getLong("acquired", 0L);
                    } else {
                        acquired += listings;
                    }
                    done += isTerminal(run.state) ? 1 : 0;
                }
                long elapsed = System.nanoTime() - startedNanos;
                if (done == runs.size()) {
                    break;
                }
                if (elapsed - lastReport >= TimeUnit.SECONDS.toNanos(15)) {
                    lastReport = elapsed;
                    System.out.printf("soak: %4.0f s  ended %d/%d  urls acquired ~%d/%d  registry heap peak %.0f MB%n",
                            elapsed / 1e9, done, runs.size(), acquired, (long) scans * listings,
                            memory.peakHeapUsed.get() / 1e6);
                }
                if (System.nanoTime() > deadline) {
                    System.out.println("soak: TIMEOUT after " + timeoutS + " s");
                    break;
                }
                stack.requireAlive();
                Thread.sleep(1000);
            }
            endedNanos = System.nanoTime();
            sampler.shutdownNow();
            for (GroupProcess w : List.of(workersA, workersB)) {
                String log = w.output();
                sharing.add(w.name() + ": " + count(log, "url acquired batch=") + " urls acquired, "
                        + count(log, "batch commit done") + " batch commits");
            }
            memory.hwmKb = procStatusKb(registryPid, "VmHWM");

            ScanStore store = ScanStore.open(vertx, adapters.getJsonObject("mongo"), new JsonObject(), Clock.systemUTC()).await();
            Set<String> seenAcrossScans = new HashSet<>();
            for (Run run : runs) {
                run.scan = store.scans().get(run.client, run.id).await().orElseThrow();
                // One scan's findings at a time: twenty scans' worth held at once would not be small.
                List<Finding> findings = new ArrayList<>();
                Page page = Page.first(500);
                while (true) {
                    List<Finding> got = store.findings().find(run.client, run.id, FindingQuery.all(page)).await();
                    findings.addAll(got);
                    if (got.size() < page.limit()) {
                        break;
                    }
                    page = page.next();
                }
                check(run, findings, listings, market, seenAcrossScans);
            }
            store.close().await();
        } finally {
            vertx.close().await();
        }
        String report = report(runs, scans, listings, clients, startedAt, startedNanos, endedNanos, memory, sharing);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        long failed = runs.stream().filter(r -> !r.problems.isEmpty()).count();
        if (failed > 0 || runs.size() < scans) {
            System.err.println("SOAK FAILED: " + failed + " of " + runs.size() + " scans did not end exactly as expected");
            runs.stream().filter(r -> !r.problems.isEmpty())
                    .forEach(r -> System.err.println("  scan " + r.n + " " + r.id + ": " + String.join("; ", r.problems)));
            System.exit(1);
        }
        System.out.println("soak: every scan complete with exact counts");
        System.exit(0);
    }

    /** Every scan must end complete with exact counts and findings that match the ground truth. */
    private static void check(Run run, List<Finding> findings, int listings, SoakMarketplace market,
                              Set<String> seenAcrossScans) {
        Scan s = run.scan;
        ScanCounts c = s.counts();
        expect(run, s.state() == ScanState.COMPLETE, "state " + s.state().wireName() + " (" + s.error() + ")");
        expect(run, c.gathered() == listings, "gathered " + c.gathered());
        expect(run, c.acquired() + c.failed() == listings, "acquired + failed " + (c.acquired() + c.failed()));
        expect(run, c.committed() == listings, "committed " + c.committed());
        expect(run, c.scored() == listings, "scored " + c.scored());
        expect(run, findings.size() == listings, "finding documents " + findings.size());
        Set<String> urls = new HashSet<>();
        long flagged = 0;
        for (Finding f : findings) {
            urls.add(f.url());
            boolean found = f.breakdown().getBoolean("infringing", false);
            flagged += found ? 1 : 0;
            Boolean truth = market.infringing(f.url());
            if (truth == null) {
                run.problems.add("a finding for a url the marketplace never served: " + f.url());
                continue;
            }
            run.tp += truth && found ? 1 : 0;
            run.fp += !truth && found ? 1 : 0;
            run.fn += truth && !found ? 1 : 0;
        }
        expect(run, urls.size() == findings.size(), "a url has two findings");
        int before = seenAcrossScans.size();
        seenAcrossScans.addAll(urls);
        expect(run, seenAcrossScans.size() == before + urls.size(), "a url also in another scan");
        expect(run, c.findings() == flagged, "counts.findings " + c.findings() + " but " + flagged + " flagged");
        expect(run, precision(run) >= MIN_PRECISION, String.format(Locale.ROOT, "precision %.3f", precision(run)));
        expect(run, recall(run) >= MIN_RECALL, String.format(Locale.ROOT, "recall %.3f", recall(run)));
    }

    private static void expect(Run run, boolean ok, String problem) {
        if (!ok) {
            run.problems.add(problem);
        }
    }

    private static double precision(Run r) {
        return r.tp + r.fp == 0 ? 1.0 : r.tp / (double) (r.tp + r.fp);
    }

    private static double recall(Run r) {
        return r.tp + r.fn == 0 ? 1.0 : r.tp / (double) (r.tp + r.fn);
    }

    private static String report(List<Run> runs, int scans, int listings, int clients, Instant startedAt, long startedNanos,
                                 long endedNanos, RegistryMemory memory, List<String> sharing) {
        List<Run> ended = runs.stream().filter(r -> r.scan != null).toList();
        List<Double> latencies = ended.stream().filter(r -> r.scan.state() == ScanState.COMPLETE)
                .map(Run::latencySeconds).sorted().toList();
        // Throughput from the first scan's creation to the last completion, by the scans' own clocks.
        Instant first = ended.stream().map(r -> r.scan.createdAt()).min(Instant::compareTo).orElse(startedAt);
        Instant last = ended.stream().filter(r -> r.scan.state() == ScanState.COMPLETE)
                .map(r -> r.scan.stateTimes().get(ScanState.COMPLETE)).max(Instant::compareTo).orElse(first);
        double wall = Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0);
        long urls = ended.stream().filter(r -> r.scan.state() == ScanState.COMPLETE)
                .mapToLong(r -> r.scan.counts().acquired() + r.scan.counts().failed()).sum();
        long exact = runs.stream().filter(r -> r.problems.isEmpty()).count();
        int tp = runs.stream().mapToInt(r -> r.tp).sum();
        int fp = runs.stream().mapToInt(r -> r.fp).sum();
        int fn = runs.stream().mapToInt(r -> r.fn).sum();
        StringBuilder b = new StringBuilder();
        b.append("# bench/soak.sh results\n\n");
        b.append(String.format(Locale.ROOT, "Command: `bench/soak.sh --scans %d --listings %d --clients %d`, %s. ", scans,
                listings, clients, startedAt));
        b.append("devservices, registry, api and two workers as separate JVMs on loopback (registry -Xmx512m, "
                + "workers -Xmx1g each, conf defaults otherwise: acquire max_in_flight 64, lease_ms 60000); the "
                + String.valueOf(scans) + " scans started at once through the REST API, round-robin over the clients. "
                + "The machine has 2 cores shared with other sessions (load average "
                + loadAverage() + " at the end).\n\n");
        b.append("| measure | value |\n|---|---|\n");
        row(b, "scans complete with exact counts", exact + " of " + scans);
        row(b, "urls (listings) processed", String.valueOf(urls));
        row(b, "wall time, first scan created to last complete (s)", fmt(wall));
        row(b, "**throughput (urls/s)**", "**" + fmt(urls / wall) + "**");
        row(b, "scan latency min / median / p95 / max (s)", latencies.isEmpty() ? "-" : fmt(latencies.get(0)) + " / "
                + fmt(percentile(latencies, 0.5)) + " / " + fmt(percentile(latencies, 0.95)) + " / "
                + fmt(latencies.get(latencies.size() - 1)));
        row(b, "registry JVM peak RSS, VmHWM (MB)", fmt(memory.hwmKb / 1024.0));
        row(b, "registry JVM peak heap used, sampled every 0.5 s (MB)", fmt(memory.peakHeapUsed.get() / 1e6));
        row(b, "registry peak bytes held (its memory budget's count, MB)", fmt(memory.peakRegistryBytes.get() / 1e6));
        row(b, "registry peak batches held", String.valueOf(memory.peakBatches.get()));
        row(b, "findings vs ground truth, all scans: tp / fp / fn", tp + " / " + fp + " / " + fn);
        row(b, "work shared by the workers", String.join("; ", sharing));
        row(b, "bench wall time incl. polling (s)", fmt((endedNanos - startedNanos) / 1e9));
        b.append("\nPer scan (latency = created to complete, by the scan's state_times):\n\n");
        b.append("| # | client | scan | state | latency (s) | gathered | acquired | failed | committed | scored | findings "
                + "| tp / fp / fn | gather attempts | check |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            if (r.scan == null) {
                b.append("| ").append(r.n).append(" | ").append(r.client).append(" | ").append(r.id)
                        .append(" | ").append(r.state).append(" | - | | | | | | | | | not read |\n");
                continue;
            }
            ScanCounts c = r.scan.counts();
            b.append("| ").append(r.n).append(" | ").append(r.client).append(" | ").append(r.id).append(" | ")
                    .append(r.scan.state().wireName()).append(" | ").append(fmt(r.latencySeconds())).append(" | ")
                    .append(c.gathered()).append(" | ").append(c.acquired()).append(" | ").append(c.failed()).append(" | ")
                    .append(c.committed()).append(" | ").append(c.scored()).append(" | ").append(c.findings()).append(" | ")
                    .append(r.tp).append(" / ").append(r.fp).append(" / ").append(r.fn).append(" | ")
                    .append(r.scan.gatherAttempts()).append(" | ")
                    .append(r.problems.isEmpty() ? "exact" : "FAILED: " + String.join("; ", r.problems)).append(" |\n");
        }
        return b.toString();
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static void row(StringBuilder b, String measure, String value) {
        b.append("| ").append(measure).append(" | ").append(value).append(" |\n");
    }

    private static double percentile(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One sample of the registry's memory: RSS from /proc, heap and registry bytes from /metrics. */
    private static void sample(RegistryMemory memory, long pid, int port) {
        try {
            memory.peakRssKb.accumulateAndGet(procStatusKb(pid, "VmRSS"), Math::max);
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            long heap = 0;
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("brandscan_registry_bytes ")) {
                    memory.peakRegistryBytes.accumulateAndGet((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                            Math::max);
                } else if (line.startsWith("brandscan_registry_batches ")) {
                    memory.peakBatches.accumulateAndGet((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                            Math::max);
                }
            }
            memory.peakHeapUsed.accumulateAndGet(heap, Math::max);
            memory.samples++;
        } catch (Exception e) {
            // A missed sample only lowers the resolution; the peak RSS (VmHWM) is exact regardless.
        }
    }

    private static long procStatusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone: no figure
        }
        return 0;
    }

    private static boolean isTerminal(String state) {
        return List.of("complete", "failed", "cancelled").contains(state);
    }

    /** A REST call from this plain thread (the JDK client, so no Vert.x context is needed). */
    private static JsonObject call(String method, int port, String path, String token, JsonObject body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("content-type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
    }
}
