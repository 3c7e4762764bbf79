package io.brandscan.demo;

/**
 * How big the demo catalog is and what it holds.
 *
 * @param seed            the generator's seed: the same seed gives the same listings, titles, prices
 *                        and photos (default {@value #DEFAULT_SEED})
 * @param size            number of listings, 1..{@value #MAX_SIZE} (default {@value #DEFAULT_SIZE};
 *                        the end-to-end benchmark uses 2,000)
 * @param infringingShare share of the listings that infringe, 0..1 (default {@value #DEFAULT_INFRINGING_SHARE});
 *                        the count is rounded to the nearest whole listing
 */
public record DemoCatalogSettings(long seed, int size, double infringingShare) {
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_SIZE = 60;
    public static final int MAX_SIZE = 10_000;
    public static final double DEFAULT_INFRINGING_SHARE = 0.3;

    public static final DemoCatalogSettings DEFAULTS = new DemoCatalogSettings(DEFAULT_SEED, DEFAULT_SIZE,
            DEFAULT_INFRINGING_SHARE);

    public DemoCatalogSettings {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in 1.." + MAX_SIZE + ", got " + size);
        }
        if (!(infringingShare >= 0 && infringingShare <= 1)) {
            throw new IllegalArgumentException("infringing_share must be in 0..1, got " + infringingShare);
        }
    }

    /** How many of the {@code size} listings infringe. */
    public int infringingCount() {
        return (int) Math.round(size * infringingShare);
    }
}
