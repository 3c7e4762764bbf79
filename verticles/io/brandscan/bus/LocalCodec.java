package io.brandscan.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable records between verticles of one process by reference. Records inside,
 * JSON at the edges: nothing sent with this codec ever leaves the JVM, so it cannot be encoded.
 */
public final class LocalCodec implements MessageCodec<Object, Object> {
    public static final String NAME = "brandscan-local";

    /** Registers the codec on this Vert.x instance once; safe to call from every verticle. */
    public static void ensureRegistered(Vertx vertx) {
        try {
            vertx.eventBus().registerCodec(new LocalCodec());
        } catch (IllegalStateException alreadyRegistered) {
            // another verticle of this process registered it first
        }
    }

    /** Delivery options for a local record message with the given reply timeout. */
    public static DeliveryOptions delivery(long timeoutMillis) {
        return new DeliveryOptions().setCodecName(NAME).setLocalOnly(true).setSendTimeout(timeoutMillis);
    }

    @Override
    public void encodeToWire(Buffer buffer, Object o) {
        throw new UnsupportedOperationException("local records never cross the wire: " + o.getClass().getName());
    }

    @Override
    public Object decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException("local records never cross the wire");
    }

    @Override
    public Object transform(Object o) {
        return o;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
