package io.brandscan.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The verticle groups {@code run} knows, by name. */
public final class Groups {
    private static final Map<String, VerticleGroup> GROUPS = new LinkedHashMap<>();

    static {
        for (VerticleGroup group : List.<VerticleGroup>of(new RegistryGroup(), new ApiGroup(), new WorkersGroup(),
                new DevServicesGroup(), new PushGroup(), new AllGroup())) {
            GROUPS.put(group.name(), group);
        }
    }

    private Groups() {
    }

    public static Optional<VerticleGroup> named(String name) {
        return Optional.ofNullable(GROUPS.get(name));
    }

    public static List<String> names() {
        return List.copyOf(GROUPS.keySet());
    }

    public static String describe() {
        StringBuilder sb = new StringBuilder();
        GROUPS.values().forEach(g -> sb.append(String.format("  %-12s %s%n", g.name(), g.description())));
        return sb.toString();
    }
}
