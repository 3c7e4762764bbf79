package io.brandscan.launcher;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits on the command's thread for a scan to end, reading it every half second, and redraws
 * its {@link ProgressLine} on a terminal (or prints a line per state change elsewhere, so a
 * log or CI output is not a wall of carriage returns).
 */
final class ScanWaiter {
    private static final long POLL_MS = 500;

    private ScanWaiter() {
    }

    /**
     * The scan once it is terminal, or as it is when {@code timeout} passes.
     *
     * @param progress where progress goes, or null for none
     * @param terminal whether {@code progress} is a terminal that understands carriage returns
     */
    static Scan await(ScanStore store, Scan scan, Duration timeout, PrintStream progress, boolean terminal)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scan now = scan;
        ScanState printed = null;
        while (true) {
            now = store.scans().get(scan.clientId(), scan.id()).await(30, TimeUnit.SECONDS).orElse(now);
            if (progress != null) {
                String line = ProgressLine.render(now);
                if (terminal) {
                    progress.print("\r" + line + "\u001b[K");
                } else if (now.state() != printed) {
                    progress.println(line);
                    printed = now.state();
                }
                progress.flush();
            }
            if (now.state().isTerminal() || System.nanoTime() > deadline) {
                if (progress != null && terminal) {
                    progress.println();
                }
                return now;
            }
            Thread.sleep(POLL_MS);
        }
    }
}
