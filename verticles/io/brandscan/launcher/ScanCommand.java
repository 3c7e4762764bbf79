package io.brandscan.launcher;

import io.brandscan.acquire.AllowRule;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code scan --brand <brand.json> --feed <url> [--json] [--allow host[:port]]...}: one scan of
 * one brand on the all-in-one stack in this process (embedded SQS, S3 and MongoDB stand-ins, the
 * registry, the workers), a progress bar on a terminal, then the findings. The feed's own host
 * and port are allowed (for the feed and its images); every other private address stays blocked
 * unless {@code --allow} names it. Exit code 0 when the scan completes, 1 when it fails or times
 * out, 2 for a usage error.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Scan one brand's listings from a JSON feed on the all-in-one stack and print the findings.")
public final class ScanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--brand", required = true, paramLabel = "<brand.json>", description = "the brand document")
    Path brand;

    @Option(names = "--feed", required = true, paramLabel = "<url>",
            description = "a URL answering [{\"url\",\"title\",\"price\",\"currency\",\"seller\",\"image_url\"}]")
    String feed;

    @Option(names = "--json", description = "print one JSON document (scan, findings, failures) on stdout at the end")
    boolean json;

    @Option(names = "--allow", paramLabel = "host[:port]",
            description = "also allow this private host (images or feed), e.g. 127.0.0.1:9000")
    List<String> allow = new ArrayList<>();

    @Option(names = "-conf", paramLabel = "<file or JSON>", description = "configuration merged over conf/all.json")
    String conf;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "3600",
            description = "give up waiting after this long (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public ScanCommand() {
        this(System.getenv(), System.out, System.err);
    }

    ScanCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        JsonObject brandDoc;
        List<String> allowed = new ArrayList<>();
        JsonObject config;
        try {
            brandDoc = BrandFile.read(brand);
            allowed.add(feedHost(feed));
            for (String entry : allow) {
                AllowRule.parse(entry);
                allowed.add(entry);
            }
            config = GroupConfig.load("all", conf, env);
        } catch (IllegalArgumentException | GroupConfig.ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
        brandDoc.put("provider", new JsonObject().put("type", "json-feed").put("url", feed));
        Vertx vertx = VertxFactory.create(config, false).await(30, TimeUnit.SECONDS);
        try (LocalStack stack = LocalStack.start(vertx, config, allowed)) {
            Scan started = stack.startScan(BrandFile.idOf(brandDoc), brandDoc).await(60, TimeUnit.SECONDS);
            boolean terminal = System.console() != null && !json;
            Scan done = ScanWaiter.await(stack.store(), started, Duration.ofSeconds(timeoutSeconds), err, terminal);
            ScanReport report = ScanReport.read(stack.store(), done).await(60, TimeUnit.SECONDS);
            out.print(json ? report.toJson().encodePrettily() + "\n" : report.table());
            out.flush();
            if (!done.state().isTerminal()) {
                err.println("scan " + done.id() + " did not finish within " + timeoutSeconds + " s");
            }
            return done.state() == ScanState.COMPLETE ? 0 : 1;
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** The allow entry for the feed's own server: its images usually live there too. */
    static String feedHost(String feed) {
        URI uri;
        try {
            uri = URI.create(feed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--feed is not a URL: " + feed);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("--feed must be an absolute http(s) URL: " + feed);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost();
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
