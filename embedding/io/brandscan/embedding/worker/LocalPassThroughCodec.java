package io.brandscan.embedding.worker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.EventBus;

/**
 * An event-bus codec that hands the same object to the consumer: for messages that never leave
 * the process (images are large, and JSON would copy every pixel twice). Sending one over a
 * clustered event bus fails loudly rather than silently serialising.
 *
 * @param <T> the message type
 */
public final class LocalPassThroughCodec<T> implements MessageCodec<T, T> {

    private final Class<T> type;

    private LocalPassThroughCodec(Class<T> type) {
        this.type = type;
    }

    /** Registers the codec as the default for {@code type}; a second call on the same event bus is a no-op. */
    public static <T> void registerDefault(EventBus eventBus, Class<T> type) {
        try {
            eventBus.registerDefaultCodec(type, new LocalPassThroughCodec<>(type));
        } catch (IllegalStateException alreadyRegistered) {
            // another verticle or client in this process got there first: same codec, nothing to do
        }
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(type.getName() + " is local-only: send it with a local consumer");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(type.getName() + " is local-only");
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return "brandscan.local." + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
