package io.brandscan.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user meets it: usage errors exit 2, and a group really serves. */
class LauncherTest {
    /** Exit code and the text picocli printed to stderr. */
    record Outcome(int code, String err) { }

    private static Outcome run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setOut(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code = cli.execute(args);
        return new Outcome(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownGroupPrintsUsageAndExits2() {
        Outcome outcome = run("run", "nosuchgroup");
        assertEquals(2, outcome.code());
        assertTrue(outcome.err().contains("unknown group 'nosuchgroup'"), outcome.err());
        assertTrue(outcome.err().contains("Usage:"), outcome.err());
    }

    @Test
    void badOptionsExit2() {
        assertEquals(2, run("run", "registry", "-bogus").code());
        assertEquals(2, run("run").code(), "a group is required");
        assertEquals(2, run("run", "registry", "-instances", "zero").code());
        assertEquals(2, run("run", "registry", "-instances", "0").code());
        assertEquals(2, run("run", "registry", "-conf", "{broken").code());
        assertEquals(2, run("nosuchcommand").code());
        assertEquals(2, run().code(), "a command is required");
    }

    @Test
    void theRegistryGroupServesAsItsOwnProcessAndStopsOnSigterm() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true",
                "-Dhazelcast.phone.home.enabled=false", Main.class.getName(), "run", "registry",
                "-conf", "{\"registry\":{\"host\":\"127.0.0.1\",\"port\":" + port + "}}", "-instances", "2"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "launcher-test-registry.log").toFile());
        // The classpath travels in the environment: a long command line crashes native libraries.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("BRANDSCAN_REGISTRY_LEASE_MS", "4321");
        Process process = builder.start();
        try {
            String health = waitForHealth(port, process);
            assertTrue(health.contains("\"status\":\"UP\""), health);
            String status = post(port, "/start", "{\"brand\":\"nike\",\"expected_count\":1}");
            assertTrue(status.contains("\"created\":true"), status);
            String submitted = post(port, "/submit", "{\"brand\":\"nike\",\"result\":{\"url\":\"u\"}}");
            assertTrue(submitted.contains("\"should_commit\":true"), submitted);
            long expires = Long.parseLong(submitted.replaceAll(".*\"lease_expires_at\":(\\d+).*", "$1"));
            long granted = System.currentTimeMillis();
            assertTrue(expires - granted <= 4321 && expires - granted > 0, "lease_ms from the environment: " + (expires - granted));
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the group stops on SIGTERM");
        }
        assertEquals(143, process.exitValue(), "terminated by SIGTERM after its shutdown hook ran");
    }

    private static String waitForHealth(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the registry process exited with " + process.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("registry did not come up on port " + port);
    }

    private static String post(int port, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
