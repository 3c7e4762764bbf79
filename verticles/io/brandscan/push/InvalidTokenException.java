package io.brandscan.push;

/** A bearer token that does not authenticate anyone; the message says why (never the token). */
public final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
