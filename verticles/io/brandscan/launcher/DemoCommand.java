package io.brandscan.launcher;

import io.brandscan.demo.DemoMarketplaceVerticle;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo [--exit] [--json]}: the whole product on this machine in one command. Starts the
 * built-in demo marketplace (generated listings: near-copies of the demo brand's reference photos
 * under look-alike titles, and clean distractors), the all-in-one stack, and one scan of the demo
 * brand, "Astra Outfitters", against it; prints progress and the findings; then keeps serving
 * (the marketplace, the registry, the stand-ins) until Ctrl-C, or exits with {@code --exit}.
 * When it keeps serving it also runs the dashboard ({@link DemoDashboard}: the api group and the
 * push tier) before the scan starts, and prints its URL and a demo user's credentials, so the scan
 * can be watched live in a browser; {@code --exit} skips it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a scan of the built-in demo brand against the built-in demo marketplace.")
public final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--exit", description = "stop when the scan is done instead of serving until Ctrl-C")
    boolean exit;

    @Option(names = "--json", description = "print the scan document (as scan --json) instead of the table")
    boolean json;

    @Option(names = "--listings", paramLabel = "N", description = "listings on the demo marketplace (default: the catalog's)")
    Integer listings;

    @Option(names = "--port", paramLabel = "N", description = "demo marketplace port (default 8095; 0 for any free one)")
    Integer port;

    @Option(names = "--dashboard-port", paramLabel = "N",
            description = "dashboard (api group) port when serving (default 8080; 0 for any free one)")
    int dashboardPort = 8080;

    @Option(names = "-conf", paramLabel = "<file or JSON>", description = "configuration merged over conf/all.json")
    String conf;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public DemoCommand() {
        this(System.getenv(), System.out, System.err);
    }

    DemoCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        JsonObject config;
        try {
            config = GroupConfig.load("all", conf, env);
        } catch (GroupConfig.ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        JsonObject marketConf = config.getJsonObject("demo_marketplace", new JsonObject()).copy();
        if (port != null) {
            marketConf.put("port", port);
        }
        if (listings != null) {
            marketConf.put("size", listings);
        }
        Vertx vertx = VertxFactory.create(config, false).await(30, TimeUnit.SECONDS);
        boolean keepRunning = false;
        try {
            DemoMarketplaceVerticle market = new DemoMarketplaceVerticle();
            try {
                vertx.deployVerticle(market, new DeploymentOptions().setConfig(marketConf)).await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the demo marketplace cannot start: "
                        + e.getMessage() + " (is port " + marketConf.getValue("port", 8095) + " taken? try --port 0)");
            }
            err.println("demo marketplace: " + market.baseUrl() + "/  (" + market.catalog().listings().size()
                    + " listings)");
            LocalStack stack = LocalStack.start(vertx, config, List.of("127.0.0.1:" + market.actualPort()));
            if (!exit) {
                try {
                    DemoDashboard.Opened dash = DemoDashboard.start(vertx, stack.conf(), dashboardPort, "astra-outfitters",
                            market.brandDocument());
                    err.println("dashboard, signed in as the demo user: " + dash.signedInUrl());
                    err.println("dashboard: " + dash.url() + "  sign in as " + dash.email() + " / " + dash.password());
                } catch (Exception e) {
                    // The scan and the report still work without it: say why and carry on.
                    err.println("the dashboard did not start: " + e.getMessage() + " (is port " + dashboardPort
                            + " taken? try --dashboard-port 0)");
                }
            }
            Scan started = stack.startScan("astra-outfitters", market.brandDocument()).await(60, TimeUnit.SECONDS);
            err.println("scanning " + market.brandDocument().getString("name") + ": scan " + started.id());
            Scan done = ScanWaiter.await(stack.store(), started, Duration.ofHours(1), err, System.console() != null);
            ScanReport report = ScanReport.read(stack.store(), done).await(60, TimeUnit.SECONDS);
            out.print(json ? report.toJson().encodePrettily() + "\n" : report.table());
            out.flush();
            int code = done.state() == ScanState.COMPLETE ? 0 : 1;
            if (exit) {
                stack.close();
                return code;
            }
            err.println("still serving the demo marketplace at " + market.baseUrl() + "/ ; Ctrl-C to stop");
            keepRunning = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                try {
                    vertx.close().await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("demo did not stop cleanly: {}", e.toString());
                }
            }, "brandscan-demo-shutdown"));
            return RunCommand.KEEP_RUNNING;
        } finally {
            if (!keepRunning) {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
