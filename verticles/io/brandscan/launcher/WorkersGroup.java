package io.brandscan.launcher;

import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.ops.ReadinessCheck;
import io.brandscan.pipeline.acquire.AcquireVerticle;
import io.brandscan.pipeline.ai.AiVerticle;
import io.brandscan.pipeline.gather.GatherVerticle;
import io.brandscan.pipeline.watchdog.ScanWatchdog;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;

/**
 * The {@code workers} group: the pipeline's three phases (gather, acquire, ai), the embedding
 * worker they share, and the scan watchdog. Every verticle reads its slices from the one group
 * configuration. The embedding worker is deployed first because acquire and ai send to it from
 * their first message. {@code -instances} (or {@code acquire.instances}) sets how many acquire
 * verticles run: acquire is where a worker machine spends its time waiting on downloads.
 */
public final class WorkersGroup implements VerticleGroup {
    @Override
    public String name() {
        return "workers";
    }

    @Override
    public String description() {
        return "the pipeline: gather, acquire, ai, the embedding worker and the scan watchdog";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        int acquire = instances != null ? instances
                : conf.getJsonObject("acquire", new JsonObject()).getInteger("instances", 1);
        if (acquire < 1 || acquire > 64) {
            return Future.failedFuture(new IllegalArgumentException("acquire.instances must be in 1..64, got " + acquire));
        }
        JsonObject embedding = conf.getJsonObject("embedding", new JsonObject());
        return vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(embedding))
                .compose(id -> vertx.deployVerticle(new GatherVerticle(Clock.systemUTC()),
                        new DeploymentOptions().setConfig(GatherVerticle.configFrom(conf))))
                .compose(id -> vertx.deployVerticle(() -> new AcquireVerticle(),
                        new DeploymentOptions().setConfig(conf).setInstances(acquire)))
                .compose(id -> vertx.deployVerticle(new AiVerticle(),
                        new DeploymentOptions().setConfig(AiVerticle.configFrom(conf))))
                .compose(id -> vertx.deployVerticle(new ScanWatchdog(), new DeploymentOptions().setConfig(conf)))
                .mapEmpty();
    }

    @Override
    public List<ReadinessCheck> readiness(Vertx vertx, JsonObject conf) {
        return WorkerReadiness.checks(vertx, conf);
    }
}
