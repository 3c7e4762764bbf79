package io.brandscan.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recall at a fixed precision for one method over a set of scored pairs. Each pair has a
 * distance (smaller = more alike; a similarity is passed negated) and says whether it is a
 * positive. The threshold is the one that keeps the most positives (distance <= threshold)
 * while precision over all pairs at or under it stays >= the target; ties are taken together,
 * so a negative at the same distance as a positive counts against it.
 */
final class RecallAtPrecision {

    record Pair(String group, boolean positive, double distance) {
    }

    record Result(double threshold, double overall, Map<String, Double> perGroup, long falsePositives) {
    }

    private RecallAtPrecision() {
    }

    static Result of(List<Pair> pairs, double precision, List<String> groups) {
        List<Pair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparingDouble(Pair::distance));
        long positives = pairs.stream().filter(Pair::positive).count();
        long tp = 0;
        long fp = 0;
        long bestTp = 0;
        long bestFp = 0;
        double threshold = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sorted.size(); ) {
            double d = sorted.get(i).distance();
            int j = i;
            while (j < sorted.size() && sorted.get(j).distance() == d) {
                if (sorted.get(j).positive()) {
                    tp++;
                } else {
                    fp++;
                }
                j++;
            }
            if (tp / (double) (tp + fp) >= precision && tp > bestTp) {
                bestTp = tp;
                bestFp = fp;
                threshold = d;
            }
            i = j;
        }
        Map<String, Double> perGroup = new LinkedHashMap<>();
        for (String g : groups) {
            final double t = threshold;
            List<Pair> pos = pairs.stream().filter(p -> p.positive() && p.group().equals(g)).toList();
            perGroup.put(g, pos.isEmpty() ? Double.NaN
                    : pos.stream().filter(p -> p.distance() <= t).count() / (double) pos.size());
        }
        return new Result(threshold, positives == 0 ? Double.NaN : bestTp / (double) positives, perGroup, bestFp);
    }
}
