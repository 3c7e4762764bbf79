package io.brandscan.launcher;

import io.brandscan.ops.OpsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code run <group> [-conf <file or JSON>] [-cluster] [-instances N]}, in the spirit of
 * {@code vertx run}: loads the group's layered configuration, creates Vert.x, deploys the group
 * and keeps serving until the process is stopped, closing Vert.x on SIGTERM.
 */
@Command(name = "run", description = "Run a verticle group: ${sys:brandscan.groups}.",
        mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {
    /** Returned when the group is up: main() must leave the JVM running. */
    public static final int KEEP_RUNNING = Integer.MIN_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<group>", description = "one of: ${sys:brandscan.groups}")
    String group;

    @Option(names = "-conf", paramLabel = "<file or JSON>", description = "configuration merged over conf/<group>.json")
    String conf;

    @Option(names = "-cluster", description = "join the Hazelcast cluster (members from the cluster slice)")
    boolean cluster;

    @Option(names = "-instances", paramLabel = "N", description = "instances of the group's scalable verticles")
    Integer instances;

    private final Map<String, String> env;
    private Vertx vertx;
    private final AtomicBoolean accepting = new AtomicBoolean();

    public RunCommand() {
        this(System.getenv());
    }

    RunCommand(Map<String, String> env) {
        this.env = env;
    }

    static {
        System.setProperty("brandscan.groups", String.join(", ", Groups.names()));
    }

    @Override
    public Integer call() {
        VerticleGroup verticleGroup = Groups.named(group).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "unknown group '" + group + "'; groups are: " + String.join(", ", Groups.names())));
        if (instances != null && instances < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-instances must be at least 1, got " + instances);
        }
        JsonObject config;
        try {
            config = GroupConfig.load(group, conf, env);
        } catch (GroupConfig.ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            start(verticleGroup, config).await(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("group {} failed to start: {}", group, e.getMessage(), e);
            if (vertx != null) {
                vertx.close();
            }
            return 1;
        }
        LOG.info("group {} is up", group);
        return KEEP_RUNNING;
    }

    /** Creates Vert.x and deploys the group; public so tests can start a group in-process. */
    public Future<Vertx> start(VerticleGroup verticleGroup, JsonObject config) {
        return VertxFactory.create(config, cluster).compose(v -> {
            vertx = v;
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "brandscan-shutdown"));
            return verticleGroup.deploy(v, config, instances)
                    .compose(deployed -> v.deployVerticle(new OpsVerticle(verticleGroup.name(),
                            () -> verticleGroup.readiness(v, config), accepting::get),
                            new DeploymentOptions().setConfig(config.getJsonObject("ops", new JsonObject().put("port", -1)))))
                    .map(id -> {
                        accepting.set(true);
                        return v;
                    });
        });
    }

    private void shutdown() {
        // /ready answers 503 from here on, so a load balancer stops sending work first.
        accepting.set(false);
        LOG.info("stopping group {}", group);
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("group {} did not stop cleanly: {}", group, e.toString());
        }
    }
}
