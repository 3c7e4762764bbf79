package io.brandscan.devservices;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded stand-ins for AWS and MongoDB, owned together: ElasticMQ (SQS), s3proxy (S3,
 * path-style, filesystem or transient store) and mongo-java-server (memory or H2 file backend),
 * all bound to 127.0.0.1. {@link #start} blocks for a few seconds, so it refuses to run on an
 * event loop: call it from a test, a main, or {@code executeBlocking} in a verticle's start.
 * {@link #close()} stops whatever was started, in reverse order.
 */
public final class DevServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);
    static final String HOST = "127.0.0.1";

    private final DevServicesSettings settings;
    private SQSRestServer sqs;
    private int sqsPort = -1;
    private S3Proxy s3;
    private MongoServer mongo;
    private int mongoPort = -1;

    private DevServices(DevServicesSettings settings) {
        this.settings = settings;
    }

    /** Starts every enabled stand-in; on any failure stops those already started and rethrows. */
    public static DevServices start(DevServicesSettings settings) throws Exception {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("DevServices.start blocks; run it in executeBlocking, not on an event loop");
        }
        DevServices services = new DevServices(settings);
        try {
            if (settings.sqsEnabled()) {
                services.startSqs();
            }
            if (settings.s3Enabled()) {
                services.startS3();
            }
            if (settings.mongoEnabled()) {
                services.startMongo();
            }
        } catch (Exception | Error e) {
            services.close();
            throw e;
        }
        LOG.info("dev services up sqs={} s3={} mongo={}", services.sqsEndpoint(), services.s3Endpoint(),
                services.mongoConnectionString());
        return services;
    }

    private void startSqs() {
        var onLoopback = SQSRestServerBuilder.withInterface(HOST);
        // Dynamic port: ElasticMQ then builds queue URLs from the port it actually bound.
        var builder = settings.sqsPort() == 0
                ? onLoopback.withDynamicPort()
                : onLoopback.withPort(settings.sqsPort())
                        .withServerAddress(new NodeAddress("http", HOST, settings.sqsPort(), ""));
        sqs = builder.start();
        sqsPort = sqs.waitUntilStarted().localAddress().getPort();
    }

    private void startS3() throws Exception {
        BlobStore store;
        if (settings.s3Directory() != null) {
            Files.createDirectories(settings.s3Directory());
            store = new FilesystemNio2BlobStore(settings.s3Directory().toAbsolutePath().toString());
        } else {
            store = new TransientNio2BlobStore();
        }
        s3 = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + HOST + ":" + settings.s3Port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, settings.s3AccessKey(), settings.s3SecretKey())
                .ignoreUnknownHeaders(true)
                .build();
        s3.start();
    }

    private void startMongo() throws IOException {
        MongoBackend backend;
        if (settings.mongoH2File() != null) {
            Path parent = settings.mongoH2File().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            backend = new H2Backend(settings.mongoH2File().toAbsolutePath().toString());
        } else {
            backend = new MemoryBackend();
        }
        mongo = new MongoServer(backend);
        mongo.bind(HOST, settings.mongoPort());
        mongoPort = mongo.getLocalAddress().getPort();
    }

    public int sqsPort() {
        return sqsPort;
    }

    public int s3Port() {
        return s3 == null ? -1 : s3.getPort();
    }

    public int mongoPort() {
        return mongoPort;
    }

    /** {@code http://127.0.0.1:port}, or null when SQS was not started. */
    public String sqsEndpoint() {
        return sqs == null ? null : "http://" + HOST + ":" + sqsPort;
    }

    public String s3Endpoint() {
        return s3 == null ? null : "http://" + HOST + ":" + s3Port();
    }

    public String mongoConnectionString() {
        return mongo == null ? null : "mongodb://" + HOST + ":" + mongoPort;
    }

    /**
     * Configuration slices pointing the adapters at these stand-ins: {@code sqs}, {@code s3} and
     * {@code mongo} objects to merge into a group's conf (only for what was started).
     */
    public JsonObject adapterConfig() {
        JsonObject conf = new JsonObject();
        if (sqs != null) {
            conf.put("sqs", new JsonObject().put("endpoint", sqsEndpoint()).put("region", "us-east-1")
                    .put("access_key", "x").put("secret_key", "x"));
        }
        if (s3 != null) {
            conf.put("s3", new JsonObject().put("endpoint", s3Endpoint()).put("region", "us-east-1")
                    .put("access_key", settings.s3AccessKey()).put("secret_key", settings.s3SecretKey())
                    .put("path_style", true));
        }
        if (mongo != null) {
            conf.put("mongo", new JsonObject().put("connection_string", mongoConnectionString()));
        }
        return conf;
    }

    /** Stops everything that was started, most dependent last; never throws. */
    @Override
    public void close() {
        if (mongo != null) {
            try {
                // shutdown() also closes the backend, which flushes an H2 file.
                mongo.shutdown();
            } catch (RuntimeException e) {
                LOG.warn("mongo-java-server did not stop cleanly", e);
            }
            mongo = null;
        }
        if (s3 != null) {
            try {
                s3.stop();
            } catch (Exception e) {
                LOG.warn("s3proxy did not stop cleanly", e);
            }
            s3 = null;
        }
        if (sqs != null) {
            try {
                sqs.stopAndWait();
            } catch (RuntimeException e) {
                LOG.warn("ElasticMQ did not stop cleanly", e);
            }
            sqs = null;
        }
    }
}
