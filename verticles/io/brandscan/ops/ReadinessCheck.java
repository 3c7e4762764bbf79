package io.brandscan.ops;

import io.vertx.core.Future;

/**
 * One dependency a process needs before it can do useful work (MongoDB answering a ping, the
 * SQS queues existing, the registry answering), asked by {@code GET /ready}. A check must be
 * cheap and must not block: it is asked on the event loop, with a timeout around it.
 */
public interface ReadinessCheck {
    String name();

    /** Succeeds when the dependency is usable now; the failure's message says why not. */
    Future<?> check();

    static ReadinessCheck of(String name, java.util.function.Supplier<Future<?>> check) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<?> check() {
                return check.get();
            }
        };
    }
}
