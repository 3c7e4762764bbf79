package io.brandscan.gather;

/** A listing that failed {@link Listing#of}: carries the countable reason and a readable detail. */
public final class InvalidListingException extends IllegalArgumentException {
    private final RejectReason reason;

    public InvalidListingException(RejectReason reason, String detail) {
        super(reason.code() + ": " + detail);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
