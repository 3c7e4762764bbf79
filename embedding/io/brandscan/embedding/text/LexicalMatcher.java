package io.brandscan.embedding.text;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Matches a listing title against one brand's {@link BrandTerms} by spelling: it folds the title
 * ({@link TextFolder}), slides windows of whole tokens over it and compares each window with every
 * name, known misspelling and keyword, then keeps the strongest rule (see {@link MatchRule}).
 *
 * <p>Three guards keep precision: windows are made of whole tokens, so "mini kettle" never reads
 * as "nike"; edit-distance and n-gram matches are refused when the title words are ordinary
 * English words ({@link CommonWords}: "bike" and "nice" are not typos of "Nike"); and short or
 * everyday-word names ("On", "Gap") only count fully when a brand keyword confirms them (or the
 * name is disguised by homoglyphs, leetspeak or spacing, which shows intent; in lowercase they do
 * not count at all without a keyword). Pure and
 * thread-safe; cheap enough to run on an event loop for a handful of brands, but scoring many
 * titles against many brands belongs on a worker.
 */
public final class LexicalMatcher {

    private static final Set<FoldStep> TERM_FOLDS = EnumSet.of(FoldStep.ACCENT, FoldStep.HOMOGLYPH, FoldStep.CASE,
            FoldStep.SPACING);

    private final LexicalSettings settings;
    private final CommonWords words;
    private final TextFolder folder = new TextFolder();

    /** Default settings and the BERT vocabulary as the list of ordinary words. */
    public LexicalMatcher() {
        this(LexicalSettings.defaults(), CommonWords.bertVocabulary());
    }

    public LexicalMatcher(LexicalSettings settings, CommonWords words) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.words = Objects.requireNonNull(words, "words");
    }

    public LexicalSettings settings() {
        return settings;
    }

    /**
     * Folds a brand's terms once, so many titles can be matched against it without redoing the
     * work; use the result with this matcher (ambiguity depends on its settings and word list).
     */
    public BrandLexicon compile(BrandTerms brand) {
        Objects.requireNonNull(brand, "brand");
        return new BrandLexicon(brand,
                brand.names().stream().map(n -> term(n, TermKind.NAME)).toList(),
                brand.misspellings().stream().map(m -> term(m, TermKind.MISSPELLING)).toList(),
                brand.keywords().stream().map(k -> term(k, TermKind.KEYWORD)).toList());
    }

    /** The best lexical match of {@code title} against {@code brand}; {@link LexicalMatch#none()} if none. */
    public LexicalMatch match(String title, BrandTerms brand) {
        return match(title, compile(brand));
    }

    /** The best lexical match of {@code title} against a compiled brand. */
    public LexicalMatch match(String title, BrandLexicon brand) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(brand, "brand");
        FoldedText folded = folder.fold(cut(title));
        if (folded.tokenCount() == 0) {
            return LexicalMatch.none();
        }
        Candidate best = null;
        for (Term name : brand.names()) {
            best = better(best, matchTerm(folded, name));
        }
        for (Term misspelling : brand.misspellings()) {
            best = better(best, matchTerm(folded, misspelling));
        }
        Candidate keyword = null;
        for (Term k : brand.keywords()) {
            keyword = better(keyword, matchTerm(folded, k));
        }
        return decide(best, keyword);
    }

    private LexicalMatch decide(Candidate name, Candidate keyword) {
        String kw = keyword == null ? null : keyword.term.original;
        TitleSpan kwSpan = keyword == null ? null : keyword.span;
        if (name != null && name.rule == MatchRule.AMBIGUOUS_NAME) {
            if (keyword != null) {
                MatchRule confirmed = name.folds.isEmpty() ? MatchRule.EXACT_NAME : MatchRule.FOLDED_NAME;
                return name.toMatch(settings.confirmedAmbiguousScore(), confirmed, kw, kwSpan);
            }
            if (!name.lowercase) {
                return name.toMatch(name.score, name.rule, null, null);
            }
            name = null;
        }
        if (name != null) {
            double score = keyword == null ? name.score : Math.min(1.0, name.score + settings.keywordBoost());
            return name.toMatch(score, name.rule, kw, kwSpan);
        }
        if (keyword != null) {
            return keyword.toMatch(settings.keywordScore(), MatchRule.KEYWORD, kw, kwSpan);
        }
        return LexicalMatch.none();
    }

    private String cut(String title) {
        int max = settings.maxTitleChars();
        if (title.length() <= max) {
            return title;
        }
        int end = Character.isHighSurrogate(title.charAt(max - 1)) ? max - 1 : max;
        return title.substring(0, end);
    }

    private Term term(String text, TermKind kind) {
        FoldedText f = folder.fold(text, TERM_FOLDS);
        String compact = f.compact();
        boolean ambiguous = kind == TermKind.NAME && (compact.length() <= settings.shortNameMaxLength()
                || (f.tokenCount() == 1 && words.isAmongMostFrequent(compact, settings.commonWordTopN())));
        Set<String> termWords = new HashSet<>();
        for (int t = 0; t < f.tokenCount(); t++) {
            termWords.add(f.token(t));
        }
        return new Term(text, kind, compact, f.tokenCount(), ambiguous, Set.copyOf(termWords));
    }

    private Candidate matchTerm(FoldedText title, Term term) {
        int length = term.compact.length();
        if (length == 0) {
            return null;
        }
        boolean fuzzy = term.kind == TermKind.NAME && !term.ambiguous;
        int maxEdits = fuzzy ? settings.maxEdits(length) : 0;
        Candidate best = null;
        int tokens = title.tokenCount();
        for (int i = 0; i < tokens; i++) {
            int[] window = new int[0];
            for (int j = i + 1; j <= tokens && j <= i + term.tokens + 2; j++) {
                window = append(window, title, j - 1);
                if (window.length > length + maxEdits) {
                    break;
                }
                if (window.length < length - maxEdits) {
                    continue;
                }
                best = better(best, compareWindow(title, term, window, i, j, maxEdits, fuzzy));
            }
            if (fuzzy || term.kind == TermKind.MISSPELLING) {
                best = better(best, glued(title, term, i));
            }
        }
        return best;
    }

    private Candidate compareWindow(FoldedText title, Term term, int[] window, int fromToken, int toToken,
                                    int maxEdits, boolean fuzzy) {
        int from = title.tokenStart(fromToken);
        int to = title.tokenEnd(toToken - 1);
        if (window.length == term.compact.length() && readsAs(title, window, 0, term.compact)) {
            Set<FoldStep> folds = folds(title, from, to, toToken - fromToken != term.tokens);
            TitleSpan span = title.sourceSpan(from, to);
            boolean asWritten = normalise(span.text()).equals(normalise(term.original));
            if (asWritten) {
                folds = Set.of();
            }
            // Disguise is intent: nobody writes an everyday "gap" with a Cyrillic a, "C0ach" or
            // "G A P" by accident, so a disguised short or everyday-word name is the brand.
            boolean disguised = folds.contains(FoldStep.HOMOGLYPH) || folds.contains(FoldStep.LEET)
                    || folds.contains(FoldStep.SPACING);
            boolean ambiguous = term.ambiguous && !disguised;
            MatchRule rule;
            double score;
            if (ambiguous) {
                rule = MatchRule.AMBIGUOUS_NAME;
                score = settings.ambiguousScore();
            } else if (term.kind == TermKind.MISSPELLING) {
                rule = MatchRule.KNOWN_MISSPELLING;
                score = settings.misspellingScore();
            } else if (term.kind == TermKind.KEYWORD) {
                rule = MatchRule.KEYWORD;
                score = settings.keywordScore();
            } else if (folds.isEmpty()) {
                rule = MatchRule.EXACT_NAME;
                score = settings.exactScore();
            } else {
                rule = MatchRule.FOLDED_NAME;
                score = settings.foldedScore();
            }
            // "on sale", "mind the gap": an everyday word written in lowercase is almost never the
            // brand, so it needs a keyword to count at all (remembered on the candidate).
            boolean lowercase = ambiguous && span.text().equals(span.text().toLowerCase(Locale.ROOT))
                    && !term.original.equals(term.original.toLowerCase(Locale.ROOT));
            return new Candidate(score, rule, term, span, folds, 0, 1.0, lowercase);
        }
        // Fuzzy rules compare like with like: as many words as the term, or everything joined into
        // one word ("louisvuiton"). Otherwise "Channel 5" would be "chanel" plus two edits.
        int windowTokens = toToken - fromToken;
        if (!fuzzy || (windowTokens != term.tokens && windowTokens != 1)) {
            return null;
        }
        // One bounded distance serves both rules. A trigram similarity high enough to match comes
        // with few edits, so n-grams are only computed within two edits beyond the edit rule's
        // limit: that keeps the hash maps off the hot path.
        boolean ngramEligible = term.compact.length() >= settings.ngramMinLength();
        int bound = ngramEligible ? maxEdits + 2 : maxEdits;
        if (bound == 0) {
            return null;
        }
        int d = EditDistance.osa(window.length, term.compact.length(),
                (x, y) -> title.canRead(window[x], term.compact.charAt(y)), bound);
        if (d > bound || allOrdinaryWords(title, fromToken, toToken, term)) {
            return null;
        }
        Set<FoldStep> folds = folds(title, from, to, windowTokens != term.tokens);
        TitleSpan span = title.sourceSpan(from, to);
        double similarity = CharNgrams.trigramDice(resolve(title, window, term.compact), term.compact);
        Candidate best = null;
        // Short names keep their first letter (or swap it with the second, "aVns"): "oose" (from
        // "Canada Goose") is not "Bose", and first-letter typos are rare in deliberate misspellings.
        boolean firstKept = term.compact.length() >= settings.twoEditsMinLength()
                || title.canRead(window[0], term.compact.charAt(0))
                || (window.length > 1 && title.canRead(window[1], term.compact.charAt(0))
                    && title.canRead(window[0], term.compact.charAt(1)));
        if (d <= maxEdits && firstKept) {
            best = new Candidate(settings.editScore(d), MatchRule.EDIT_DISTANCE, term, span, folds, d, similarity, false);
        }
        if (ngramEligible && similarity >= settings.ngramMinSimilarity()) {
            best = better(best, new Candidate(settings.ngramWeight() * similarity, MatchRule.NGRAM, term, span, folds,
                    -1, similarity, false));
        }
        return best;
    }

    /** The term as a prefix or suffix of a longer token (or inside it, for long terms). */
    private Candidate glued(FoldedText title, Term term, int token) {
        int length = term.compact.length();
        int start = title.tokenStart(token);
        int end = title.tokenEnd(token);
        if (length < settings.gluedMinLength() || end - start <= length
                || words.contains(title.text().substring(start, end))) {
            return null;
        }
        int lastInside = length >= settings.gluedInsideMinLength() ? end - length : start;
        int[] all = new int[end - start];
        for (int p = 0; p < all.length; p++) {
            all[p] = start + p;
        }
        for (int at = start; at <= end - length; at++) {
            // Where punctuation was removed ("airjordan-nikeoutlet") a word starts or ends too.
            boolean edge = at == start || at == end - length || joinedAt(title, at) || joinedAt(title, at + length);
            if (!edge && at > lastInside) {
                continue;
            }
            if (readsAs(title, all, at - start, term.compact)) {
                return new Candidate(settings.gluedScore(), MatchRule.GLUED_NAME, term,
                        title.sourceSpan(at, at + length), folds(title, at, at + length, false), 0, 1.0, false);
            }
        }
        return null;
    }

    private static boolean joinedAt(FoldedText title, int position) {
        return position < title.text().length() && title.stepsIn(position, position + 1).contains(FoldStep.SPACING);
    }

    private static boolean readsAs(FoldedText title, int[] positions, int offset, String term) {
        if (positions.length - offset < term.length()) {
            return false;
        }
        for (int k = 0; k < term.length(); k++) {
            if (!title.canRead(positions[offset + k], term.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The window's text with each ambiguous character read the way the term would read it where
     * possible, so n-grams see "louis" for "1ouis" against "Louis".
     */
    private static String resolve(FoldedText title, int[] window, String term) {
        StringBuilder b = new StringBuilder(window.length);
        for (int p : window) {
            char c = title.text().charAt(p);
            String alt = title.alternativesAt(p);
            if (!alt.isEmpty() && term.indexOf(c) < 0) {
                for (int k = 0; k < alt.length(); k++) {
                    if (term.indexOf(alt.charAt(k)) >= 0) {
                        c = alt.charAt(k);
                        break;
                    }
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * True when every title token in the window is an ordinary word that is not itself one of
     * the term's words: "nice" is not a typo of "Nike", but "Thy North Face" still reads as
     * "The North Face" because "north" and "face" are the brand's own words.
     */
    private boolean allOrdinaryWords(FoldedText title, int fromToken, int toToken, Term term) {
        for (int t = fromToken; t < toToken; t++) {
            String token = title.token(t);
            if (!words.contains(token) || term.words.contains(token)) {
                return false;
            }
        }
        return true;
    }

    private static Set<FoldStep> folds(FoldedText title, int from, int to, boolean regrouped) {
        Set<FoldStep> folds = EnumSet.noneOf(FoldStep.class);
        folds.addAll(title.stepsIn(from, to));
        folds.remove(FoldStep.CASE);
        if (regrouped) {
            folds.add(FoldStep.SPACING);
        }
        return folds;
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    private static int[] append(int[] window, FoldedText title, int token) {
        int start = title.tokenStart(token);
        int end = title.tokenEnd(token);
        int[] out = Arrays.copyOf(window, window.length + end - start);
        for (int p = start; p < end; p++) {
            out[window.length + p - start] = p;
        }
        return out;
    }

    private static Candidate better(Candidate a, Candidate b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (b.score > a.score) {
            return b;
        }
        if (b.score == a.score && a.lowercase != b.lowercase) {
            return a.lowercase ? b : a;
        }
        if (b.score == a.score && b.span.start() < a.span.start()) {
            return b;
        }
        return a;
    }

    /** A brand term folded for matching. */
    record Term(String original, TermKind kind, String compact, int tokens, boolean ambiguous, Set<String> words) {
    }

    private record Candidate(double score, MatchRule rule, Term term, TitleSpan span, Set<FoldStep> folds,
                             int editDistance, double ngram, boolean lowercase) {

        LexicalMatch toMatch(double finalScore, MatchRule finalRule, String keyword, TitleSpan keywordSpan) {
            return new LexicalMatch(finalScore, finalRule, term.kind, term.original, span, folds, editDistance, ngram,
                    keyword, keywordSpan);
        }
    }
}
