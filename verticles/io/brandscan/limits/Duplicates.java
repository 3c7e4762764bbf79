package io.brandscan.limits;

/** Recognises MongoDB's duplicate-key error (E11000), which several atomic upserts here expect. */
final class Duplicates {
    private Duplicates() {
    }

    static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("E11000")) {
                return true;
            }
        }
        return false;
    }
}
