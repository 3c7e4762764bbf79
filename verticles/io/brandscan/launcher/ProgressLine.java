package io.brandscan.launcher;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;

/**
 * One line of text saying where a scan is: a bar over the current phase's work and the counts
 * behind it, e.g. {@code [##########----------]  50%  acquiring  100/200 images, 3 failed}.
 * Pure: the command redraws it on a terminal with a carriage return.
 */
final class ProgressLine {
    static final int WIDTH = 30;

    private ProgressLine() {
    }

    static String render(Scan scan) {
        ScanCounts c = scan.counts();
        long done;
        long total;
        String detail;
        switch (scan.state()) {
            case ACQUIRING, COMMITTING -> {
                done = c.acquired() + c.failed();
                total = c.gathered();
                detail = done + "/" + total + " images, " + c.failed() + " failed";
            }
            case SCORING -> {
                done = c.scored();
                total = Math.max(c.committed(), c.scored());
                detail = done + "/" + total + " scored";
            }
            case COMPLETE -> {
                done = 1;
                total = 1;
                detail = c.findings() + " findings in " + c.scored() + " listings, " + c.failed() + " failed";
            }
            default -> {
                done = 0;
                total = 0;
                detail = c.gathered() > 0 ? c.gathered() + " listings" : "";
            }
        }
        double share = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(share * WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format("%3d%%  %-10s %s", Math.round(share * 100), scan.state().wireName(), detail).stripTrailing();
    }
}
