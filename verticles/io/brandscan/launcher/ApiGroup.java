package io.brandscan.launcher;

import io.brandscan.api.ApiVerticle;
import io.brandscan.api.LimitsAdmission;
import io.brandscan.api.ScanAdmission;
import io.brandscan.api.ScheduledStarts;
import io.brandscan.limits.ClientLimiter;
import io.brandscan.limits.LimitsSettings;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.ops.ReadinessCheck;
import io.brandscan.queue.SqsBroker;
import io.brandscan.schedule.SchedulerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code api} group: the REST API ({@link ApiVerticle}), {@code -instances} copies sharing
 * one port (default 1), with per-client limits ({@link LimitsAdmission}, one limiter per process)
 * and the brand scheduler ({@link SchedulerVerticle}, {@code schedule.enabled}, default true; any
 * number of api processes may run it, each slot fires once). Slices: {@code api}, {@code mongo},
 * {@code store}, {@code sqs}, {@code s3}, {@code limits}, {@code schedule}. When
 * {@code api.jwt_secret} is empty one random secret is made here for all instances, so a token
 * issued by one instance verifies on another (it still dies with the process: set the secret in
 * production).
 */
public final class ApiGroup implements VerticleGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGroup.class);

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String description() {
        return "the REST API (auth, clients, brands, scans, findings, review)";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        JsonObject slices = ApiVerticle.configFrom(conf);
        JsonObject api = slices.getJsonObject("api");
        if (api.getString("jwt_secret", "").isEmpty()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            api.put("jwt_secret", HexFormat.of().formatHex(secret));
            LOG.warn("api.jwt_secret is not set: session tokens are signed with a random key and die with this process");
        }
        Clock clock = Clock.systemUTC();
        ScanAdmission admission;
        try {
            admission = new LimitsAdmission(new ClientLimiter(vertx, MongoConnection.client(vertx,
                    conf.getJsonObject("mongo", new JsonObject())), LimitsSettings.fromJson(conf.getJsonObject("limits")),
                    clock));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        ScheduledStarts scheduled = new ScheduledStarts(vertx, conf, admission, clock);
        return vertx.deployVerticle(() -> new ApiVerticle(admission, clock), new DeploymentOptions().setConfig(slices)
                        .setInstances(instances == null ? 1 : instances))
                .compose(id -> conf.getJsonObject("schedule", new JsonObject()).getBoolean("enabled", true)
                        ? vertx.deployVerticle(new SchedulerVerticle(clock, scheduled::start),
                                new DeploymentOptions().setConfig(SchedulerVerticle.configFrom(conf)))
                        : Future.succeededFuture(id))
                .mapEmpty();
    }

    /** The API needs MongoDB (everything it stores) and the gather queue (scan starts). */
    @Override
    public List<ReadinessCheck> readiness(Vertx vertx, JsonObject conf) {
        MongoClient mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo", new JsonObject()));
        SqsBroker broker = SqsBroker.create(vertx, conf.getJsonObject("sqs", new JsonObject()));
        return List.of(
                ReadinessCheck.of("mongo", () -> mongo.runCommand("ping", new JsonObject().put("ping", 1))),
                ReadinessCheck.of("sqs", () -> broker.open("gather")));
    }
}
