package io.brandscan.embedding.text;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text scores of one brand's titles, kept from one {@link TextScorer#scoreAll(java.util.List,
 * TitleScores)} call to the next, so a title is scored once per scan rather than once per page:
 * sellers copy each other's titles, and a scan's pages repeat them (the demo scan's 2,000
 * listings carry a few hundred titles). A title's score depends only on the title and the brand,
 * so a kept score is exactly the one scoring again would give.
 *
 * <p>Bounded: past {@code maxTitles} titles no more are kept (those are scored on every call).
 * Thread-safe: the pages of one scan are scored on several worker threads at once.
 */
public final class TitleScores {
    private final BrandTextProfile brand;
    private final int maxTitles;
    private final Map<String, TextScore> scores = new ConcurrentHashMap<>();

    public TitleScores(BrandTextProfile brand, int maxTitles) {
        this.brand = Objects.requireNonNull(brand, "brand");
        if (maxTitles < 0) {
            throw new IllegalArgumentException("maxTitles must be at least 0, got " + maxTitles);
        }
        this.maxTitles = maxTitles;
    }

    public BrandTextProfile brand() {
        return brand;
    }

    /** How many titles are kept. */
    public int size() {
        return scores.size();
    }

    TextScore get(String title) {
        return scores.get(title);
    }

    /** Keeps a score while there is room (a race may overshoot the bound by the number of threads). */
    void keep(String title, TextScore score) {
        if (scores.size() < maxTitles) {
            scores.putIfAbsent(title, score);
        }
    }
}
