package io.brandscan.launcher;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verticle groups as separate JVMs on loopback, for the multi-process tests and for
 * {@code bench/soak.sh} (which compiles this file with the bench), started exactly as
 * {@code java io.brandscan.launcher.Main run <group> -conf <json>} starts them (the classpath in
 * the CLASSPATH variable: ONNX Runtime crashes on a long command line), each writing to its own
 * log. {@link #close()} stops the workers first, then the rest in reverse start order, each with
 * SIGTERM (the groups' graceful stop) and SIGKILL for what is left.
 */
public final class GroupProcesses implements AutoCloseable {
    private static final long START_TIMEOUT_S = 180;

    /** One group's JVM and the file its output goes to. */
    public record GroupProcess(String name, String group, Process process, Path log) {
        public String tail(int lines) {
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }

    private final Path logDir;
    private final String logPrefix;
    private final Path logback;
    private final List<GroupProcess> processes = new ArrayList<>();

    /** For tests: logs at {@code target/<prefix>-<name>.log}, the tests' multi-process logback file. */
    GroupProcesses(String prefix) {
        this(Path.of("target"), prefix + "-", Path.of("target", "test-classes", "logback-multiprocess.xml"));
    }

    /** Logs at {@code <logDir>/<name>.log}, with the given logback configuration. */
    public GroupProcesses(Path logDir, Path logback) throws IOException {
        this(Files.createDirectories(logDir), "", logback);
    }

    private GroupProcesses(Path logDir, String logPrefix, Path logback) {
        this.logDir = logDir;
        this.logPrefix = logPrefix;
        this.logback = logback.toAbsolutePath();
    }

    public GroupProcess start(String name, String group, JsonObject conf, String heap, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), heap, "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-Dhazelcast.phone.home.enabled=false", "-Dlogback.configurationFile=" + logback,
                Main.class.getName(), "run", group, "-conf", conf.encode()));
        command.addAll(List.of(args));
        Path log = logDir.resolve(logPrefix + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("DJL_OFFLINE", "true");
        // The conf given is the whole truth: no BRANDSCAN_* variable from the caller's shell overrides it.
        builder.environment().keySet().removeIf(k -> k.startsWith(GroupConfig.ENV_PREFIX));
        GroupProcess p = new GroupProcess(name, group, builder.start(), log);
        processes.add(p);
        return p;
    }

    /** Waits until the process says its group is up and each of {@code ports} accepts connections. */
    public void awaitUp(GroupProcess p, int... ports) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        while (System.nanoTime() < deadline) {
            if (!p.process().isAlive()) {
                throw new IllegalStateException(p.name() + " exited with " + p.process().exitValue() + " while starting:\n"
                        + p.tail(40));
            }
            if (p.output().contains("group " + p.group() + " is up") && allListening(ports)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(p.name() + " did not come up within " + START_TIMEOUT_S + " s:\n" + p.tail(40));
    }

    /** Fails naming the process when one that should still run has exited. */
    public void requireAlive(GroupProcess... except) {
        for (GroupProcess p : processes) {
            if (!p.process().isAlive() && !List.of(except).contains(p)) {
                throw new IllegalStateException(p.name() + " exited with " + p.process().exitValue() + diagnostics());
            }
        }
    }

    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (GroupProcess p : processes) {
            b.append("\n--- last lines of ").append(p.name()).append(" (").append(p.log()).append(") ---\n")
                    .append(p.tail(25));
        }
        return b.toString();
    }

    /**
     * Stops the workers first (together), then the rest in the reverse of their start order, so
     * every group still has the services it talks to while it stops gracefully.
     */
    @Override
    public void close() throws InterruptedException {
        List<GroupProcess> workers = processes.stream().filter(p -> p.group().equals("workers")).toList();
        workers.forEach(p -> p.process().destroy());
        for (GroupProcess p : workers) {
            stop(p);
        }
        List<GroupProcess> rest = new ArrayList<>(processes);
        rest.removeAll(workers);
        Collections.reverse(rest);
        for (GroupProcess p : rest) {
            p.process().destroy();
            stop(p);
        }
    }

    private static void stop(GroupProcess p) throws InterruptedException {
        if (!p.process().waitFor(40, TimeUnit.SECONDS)) {
            p.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public static boolean allListening(int... ports) {
        for (int port : ports) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
