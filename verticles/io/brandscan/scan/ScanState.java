package io.brandscan.scan;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a scan and the one table of moves between its states. Owns which transitions are
 * allowed; storage applies a transition only if the stored state is in {@link #allowedFrom}, so
 * the table here is the whole rule.
 *
 * <p>Re-gathering (acquiring or committing back to gathering) is how the watchdog recovers a scan
 * whose registry batch vanished; a scan with no listings goes from gathering straight to complete.
 */
public enum ScanState {
    QUEUED, GATHERING, ACQUIRING, COMMITTING, SCORING, COMPLETE, FAILED, CANCELLED;

    /** The transition table: each row is a state and the states it may move to. */
    private static final Map<ScanState, Set<ScanState>> MOVES = table(new Object[][] {
            {QUEUED, GATHERING, FAILED, CANCELLED},
            {GATHERING, ACQUIRING, COMPLETE, FAILED, CANCELLED},
            {ACQUIRING, COMMITTING, GATHERING, FAILED, CANCELLED},
            {COMMITTING, SCORING, GATHERING, FAILED, CANCELLED},
            {SCORING, COMPLETE, FAILED, CANCELLED},
            {COMPLETE},
            {FAILED},
            {CANCELLED},
    });

    /** States in which a scan waits on the registry and so can be stranded by its restart. */
    public static final Set<ScanState> WATCHED = Collections.unmodifiableSet(EnumSet.of(ACQUIRING, COMMITTING));

    /** The lower-case name used in JSON and MongoDB. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; an unknown one is an {@link IllegalArgumentException}. */
    public static ScanState fromWire(String name) {
        if (name == null) {
            throw new IllegalArgumentException("scan state is missing");
        }
        for (ScanState s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scan state: " + name);
    }

    public boolean isTerminal() {
        return MOVES.get(this).isEmpty();
    }

    public boolean canMoveTo(ScanState next) {
        return MOVES.get(this).contains(next);
    }

    /** The states this one may move to (empty for a terminal state). */
    public Set<ScanState> next() {
        return MOVES.get(this);
    }

    /** Every state from which {@code target} may be reached. */
    public static Set<ScanState> allowedFrom(ScanState target) {
        EnumSet<ScanState> from = EnumSet.noneOf(ScanState.class);
        MOVES.forEach((state, next) -> {
            if (next.contains(target)) {
                from.add(state);
            }
        });
        return Collections.unmodifiableSet(from);
    }

    /** Every state that is not terminal: the states a scan may still be cancelled or failed from. */
    public static Set<ScanState> active() {
        EnumSet<ScanState> active = EnumSet.noneOf(ScanState.class);
        for (ScanState s : values()) {
            if (!s.isTerminal()) {
                active.add(s);
            }
        }
        return Collections.unmodifiableSet(active);
    }

    /**
     * Checks that every state in {@code from} may move to {@code to}: a caller asking storage for a
     * move the table forbids is a programming error, refused before any write.
     */
    public static void requireMoves(Set<ScanState> from, ScanState to) {
        if (from == null || from.isEmpty() || to == null) {
            throw new IllegalArgumentException("a transition needs at least one from-state and a target");
        }
        for (ScanState s : from) {
            if (!s.canMoveTo(to)) {
                throw new IllegalArgumentException("transition " + s.wireName() + " -> " + to.wireName() + " is not allowed");
            }
        }
    }

    private static Map<ScanState, Set<ScanState>> table(Object[][] rows) {
        EnumMap<ScanState, Set<ScanState>> moves = new EnumMap<>(ScanState.class);
        for (Object[] row : rows) {
            EnumSet<ScanState> next = EnumSet.noneOf(ScanState.class);
            for (int i = 1; i < row.length; i++) {
                next.add((ScanState) row[i]);
            }
            moves.put((ScanState) row[0], Collections.unmodifiableSet(next));
        }
        return Collections.unmodifiableMap(moves);
    }
}
