package io.brandscan.scan;

/**
 * How far a scan has got, phase by phase: listings gathered, images acquired, urls failed for
 * good, listings committed, listings scored, findings stored. Also used as a delta for atomic
 * increments, so no field may be negative.
 */
public record ScanCounts(long gathered, long acquired, long failed, long committed, long scored, long findings) {
    public static final ScanCounts ZERO = new ScanCounts(0, 0, 0, 0, 0, 0);

    public ScanCounts {
        if (gathered < 0 || acquired < 0 || failed < 0 || committed < 0 || scored < 0 || findings < 0) {
            throw new IllegalArgumentException("scan counts cannot be negative");
        }
    }

    public static ScanCounts gathered(long n) {
        return new ScanCounts(n, 0, 0, 0, 0, 0);
    }

    public static ScanCounts acquired(long n) {
        return new ScanCounts(0, n, 0, 0, 0, 0);
    }

    public static ScanCounts failed(long n) {
        return new ScanCounts(0, 0, n, 0, 0, 0);
    }

    public static ScanCounts committed(long n) {
        return new ScanCounts(0, 0, 0, n, 0, 0);
    }

    public static ScanCounts scored(long n) {
        return new ScanCounts(0, 0, 0, 0, n, 0);
    }

    public static ScanCounts findings(long n) {
        return new ScanCounts(0, 0, 0, 0, 0, n);
    }

    public ScanCounts plus(ScanCounts other) {
        return new ScanCounts(gathered + other.gathered, acquired + other.acquired, failed + other.failed,
                committed + other.committed, scored + other.scored, findings + other.findings);
    }

    public boolean isZero() {
        return equals(ZERO);
    }
}
