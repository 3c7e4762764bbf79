package io.brandscan.store;

import io.brandscan.scan.Scan;

import java.util.Optional;

/**
 * What a batch commit did. {@code written} listing documents were replace-upserted (0 unless this
 * call wrote), {@code skipped} listings had no usable url; {@code scan} is the scan as the commit
 * left it (or found it), empty when it does not exist for this client.
 */
public record CommitResult(Outcome outcome, int written, int skipped, Optional<Scan> scan) {

    /** How the commit ended. */
    public enum Outcome {
        /** This call wrote the listings and flipped the scan from committing to scoring. */
        COMMITTED,
        /** The batch was already committed (a retry): nothing was flipped again; the caller moves on. */
        ALREADY_COMMITTED,
        /** The scan is not committing this batch (a newer gather attempt, cancelled, failed): the caller lost. */
        STALE,
        /** No such scan for this client. */
        NOT_FOUND
    }

    /** True when the batch is durably committed, by this call or an earlier one: the SQS message may go. */
    public boolean isDurable() {
        return outcome == Outcome.COMMITTED || outcome == Outcome.ALREADY_COMMITTED;
    }
}
