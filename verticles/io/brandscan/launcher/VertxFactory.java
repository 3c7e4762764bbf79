package io.brandscan.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Creates the process's Vert.x: Prometheus metrics on, and for {@code -cluster} a Hazelcast
 * cluster manager joined over TCP-IP to the members in the {@code cluster} slice (never
 * multicast, never cloud discovery, never phoning home).
 */
public final class VertxFactory {
    private VertxFactory() {
    }

    public static VertxOptions options() {
        return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setJvmMetricsEnabled(true)
                .setEnabled(true));
    }

    public static Future<Vertx> create(JsonObject conf, boolean clustered) {
        VertxOptions options = options();
        if (!clustered) {
            return Future.succeededFuture(Vertx.builder().with(options).build());
        }
        JsonObject cluster = conf.getJsonObject("cluster", new JsonObject());
        String host = cluster.getString("host", "127.0.0.1");
        options.setEventBusOptions(new EventBusOptions()
                .setHost(host)
                .setPort(cluster.getInteger("eventbus_port", 0))
                .setClusterPublicHost(cluster.getString("public_host", host)));
        return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
                .buildClustered();
    }

    static Config hazelcast(JsonObject cluster) {
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "slf4j");
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(cluster.getString("name", "brandscan"));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        String host = cluster.getString("host", "127.0.0.1");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.getInteger("port", 5701)).setPortAutoIncrement(true);
        network.setPublicAddress(cluster.getString("public_host", host));
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        JsonArray members = cluster.getJsonArray("members", new JsonArray().add(host));
        members.forEach(m -> join.getTcpIpConfig().addMember(String.valueOf(m)));
        return config;
    }
}
