package io.brandscan.launcher;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * There is no Docker engine on these machines, so the Docker files are checked for what can be
 * checked without one: the compose file parses, every brandscan service runs a group that exists
 * with an environment the group's configuration accepts, every service has a health check, every
 * dependency names a service; each Dockerfile copies only folders that exist and builds the jar.
 */
class DockerFilesTest {
    private static final Path DOCKER = Path.of("docker");

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileRunsRealGroupsWithHealthChecksAndKnownDependencies() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        for (String needed : List.of("mongo", "sqs", "s3", "registry", "api", "worker-1", "worker-2", "push")) {
            assertTrue(services.containsKey(needed), "compose has no " + needed);
        }
        int groups = 0;
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            Map<String, Object> service = e.getValue();
            assertNotNull(service.get("healthcheck"), e.getKey() + " has no health check");
            Object deps = service.get("depends_on");
            if (deps instanceof Map<?, ?> map) {
                for (Object dep : map.keySet()) {
                    assertTrue(services.containsKey(dep), e.getKey() + " depends on unknown " + dep);
                }
            }
            if (service.get("command") instanceof List<?> command && "run".equals(command.get(0))) {
                String group = (String) command.get(1);
                assertTrue(Groups.named(group).isPresent(), e.getKey() + " runs unknown group " + group);
                assertTrue(command.contains("-cluster"), e.getKey() + " must join the cluster");
                Map<String, String> env = new HashMap<>();
                ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                        .forEach((k, v) -> env.put(k, String.valueOf(v)));
                env.replaceAll((k, v) -> v.startsWith("${") ? "from-the-shell" : v);
                // Throws, naming the variable, when a value does not fit the key it sets.
                GroupConfig.load(group, null, env);
                groups++;
            }
        }
        assertTrue(groups >= 6, "brandscan services: " + groups);
        assertEquals(List.of("gpu"), services.get("worker-gpu").get("profiles"));
    }

    @Test
    void everyDockerfileCopiesFoldersThatExistAndBuildsTheJar() throws IOException {
        for (String name : List.of("Dockerfile", "Dockerfile.gpu")) {
            String text = Files.readString(DOCKER.resolve(name));
            assertTrue(text.startsWith("#"), name + " explains itself first");
            assertTrue(text.contains("package -DskipTests"), name + " builds the jar");
            assertTrue(text.contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/brandscan/brandscan.jar\"]"), name);
            Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(text);
            int copies = 0;
            while (copy.find()) {
                assertTrue(Files.exists(Path.of(copy.group(1))), name + " copies missing " + copy.group(1));
                copies++;
            }
            assertTrue(copies >= 6, name + " copies the sources");
            assertFalse(text.contains("latest"), name + " pins its base images");
        }
        assertTrue(Files.readString(DOCKER.resolve("Dockerfile.gpu")).contains("-Ponnxruntime_gpu"));
    }
}
