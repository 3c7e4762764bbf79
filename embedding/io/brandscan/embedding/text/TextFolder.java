package io.brandscan.embedding.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds titles and brand terms to a canonical form in which a disguised brand name reads like
 * the name itself: case, accents, homoglyphs (Cyrillic, Greek and other look-alikes, full-width
 * and mathematical forms), leetspeak, and spacing/punctuation tricks. Each {@link FoldStep} can be
 * switched on alone, and every folded character remembers which steps touched it and which part
 * of the original produced it. Pure and thread-safe.
 */
public final class TextFolder {

    /** Runs of at least this many single-letter words are joined ("n i k e"). */
    static final int MIN_SPACED_RUN = 3;

    private static final Map<Integer, String> ACCENT_LETTERS = pairs(
            "ø o Ø O ł l Ł L đ d Đ D ħ h Ħ H ß ss æ ae Æ AE œ oe Œ OE ŀ l Ŀ L ŧ t Ŧ T");

    /**
     * Look-alikes of Latin letters. Uppercase and lowercase are listed separately because some
     * capitals are confusable while their lowercase forms are not (Greek Ν versus ν).
     */
    private static final Map<Integer, String> CONFUSABLES = pairs(
            // Cyrillic capitals and small letters
            "А A В B Е E К K М M Н H О O Р P С C Т T У Y Х X Ѕ S І I Ј J Ү Y Ԛ Q Ԝ W Ӏ l Ь b "
            + "а a в b е e к k м m н h о o р p с c т t у y х x ѕ s і i ј j ү y ԛ q ԝ w ԁ d ь b "
            + "п n г r ӏ l ё e "
            // Greek capitals and small letters
            + "Α A Β B Ε E Ζ Z Η H Ι I Κ K Μ M Ν N Ο O Ρ P Τ T Υ Y Χ X Ϲ C "
            + "α a β b γ y ε e ι i κ k ν v ο o ρ p τ t υ u χ x ω w ϲ c ς c "
            // Other scripts and IPA letters that pass for Latin ones
            + "ı i ȷ j ℓ l ǀ l ɑ a ɡ g ɩ i ʏ y օ o ս u ᴏ o ᴄ c ᴠ v ᴡ w ᴢ z ꭰ d");

    /** Leetspeak readings: the first letter is the usual reading, the others are kept as alternatives. */
    private static final Map<Integer, String> LEET = pairs(
            "0 o 1 il 2 z 3 e 4 a 5 s 6 gb 7 t 8 b 9 g @ a $ s ! il | li + t € e");

    private static final Set<FoldStep> ALL = EnumSet.allOf(FoldStep.class);

    /** Folds with every step. */
    public FoldedText fold(String text) {
        return fold(text, ALL);
    }

    /** Folds with the given steps only (they run in {@link FoldStep} order whatever the set's order). */
    public FoldedText fold(String text, Set<FoldStep> steps) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(steps, "steps");
        List<Unit> units = initialUnits(text);
        if (steps.contains(FoldStep.ACCENT)) {
            units = accent(units);
        }
        if (steps.contains(FoldStep.HOMOGLYPH)) {
            units = homoglyph(units);
        }
        if (steps.contains(FoldStep.CASE)) {
            for (Unit u : units) {
                int lower = Character.toLowerCase(u.cp);
                if (lower != u.cp) {
                    u.cp = lower;
                    u.mask |= FoldStep.CASE.bit();
                }
            }
        }
        if (steps.contains(FoldStep.LEET)) {
            leet(units);
        }
        return tokens(text, units, steps.contains(FoldStep.SPACING));
    }

    private static List<Unit> initialUnits(String text) {
        List<Unit> units = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            // Trademark signs are decoration, not letters: "Nike™" must not read as "niketm".
            if (cp == 0x2122 || cp == 0x2120 || cp == 0xAE || cp == 0xA9) {
                cp = ' ';
            }
            units.add(new Unit(cp, i, i + n, 0, null));
            i += n;
        }
        return units;
    }

    private static List<Unit> accent(List<Unit> units) {
        List<Unit> out = new ArrayList<>(units.size());
        for (Unit u : units) {
            if (u.cp < 0x80) {
                out.add(u);
                continue;
            }
            String mapped = ACCENT_LETTERS.get(u.cp);
            if (mapped == null) {
                mapped = stripMarks(Normalizer.normalize(new String(Character.toChars(u.cp)), Normalizer.Form.NFD));
            }
            if (mapped.isEmpty()) {
                // A combining mark on its own (decomposed input): the letter before it carried an accent.
                if (!out.isEmpty()) {
                    Unit prev = out.get(out.size() - 1);
                    prev.mask |= FoldStep.ACCENT.bit();
                    prev.end = Math.max(prev.end, u.end);
                }
                continue;
            }
            expand(out, u, mapped, FoldStep.ACCENT);
        }
        return out;
    }

    private static List<Unit> homoglyph(List<Unit> units) {
        List<Unit> out = new ArrayList<>(units.size());
        for (Unit u : units) {
            if (u.cp < 0x80) {
                out.add(u);
                continue;
            }
            String compat = stripMarks(Normalizer.normalize(new String(Character.toChars(u.cp)), Normalizer.Form.NFKD));
            StringBuilder mapped = new StringBuilder(compat.length());
            compat.codePoints().forEach(cp -> {
                String look = CONFUSABLES.get(cp);
                if (look != null) {
                    mapped.append(look);
                } else {
                    mapped.appendCodePoint(cp);
                }
            });
            if (mapped.length() == 0) {
                continue;
            }
            expand(out, u, mapped.toString(), FoldStep.HOMOGLYPH);
        }
        return out;
    }

    private static void expand(List<Unit> out, Unit u, String mapped, FoldStep step) {
        if (mapped.codePointCount(0, mapped.length()) == 1 && mapped.codePointAt(0) == u.cp) {
            out.add(u);
            return;
        }
        mapped.codePoints().forEach(cp -> out.add(new Unit(cp, u.start, u.end, u.mask | step.bit(), u.alternatives)));
    }

    private static String stripMarks(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK
                    && type != Character.COMBINING_SPACING_MARK) {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /**
     * Reads digits and symbols as letters, but only inside words that also hold letters: "Air Max
     * 90" keeps its 90 and "$49" its dollar sign. Runs of single characters ("n 1 k e") count as
     * one word. A symbol at the end of a word ("wow!") is punctuation, not a letter, except "$".
     */
    private static void leet(List<Unit> units) {
        List<int[]> words = words(units);
        boolean[] foldable = new boolean[words.size()];
        for (int w = 0; w < words.size(); w++) {
            int[] word = words.get(w);
            for (int i = word[0]; i < word[1]; i++) {
                if (Character.isLetter(units.get(i).cp)) {
                    foldable[w] = true;
                    break;
                }
            }
        }
        // Spaced-out runs: a lone "1" between lone letters is a letter too.
        for (int w = 0; w < words.size(); ) {
            int end = w;
            boolean letter = false;
            while (end < words.size() && words.get(end)[1] - words.get(end)[0] == 1) {
                letter |= Character.isLetter(units.get(words.get(end)[0]).cp);
                end++;
            }
            if (end - w >= MIN_SPACED_RUN && letter) {
                for (int k = w; k < end; k++) {
                    foldable[k] = true;
                }
            }
            w = Math.max(end, w + 1);
        }
        for (int w = 0; w < words.size(); w++) {
            if (!foldable[w]) {
                continue;
            }
            int[] word = words.get(w);
            boolean lone = word[1] - word[0] == 1;
            for (int i = word[0]; i < word[1]; i++) {
                Unit u = units.get(i);
                String readings = LEET.get(u.cp);
                if (readings == null) {
                    continue;
                }
                if (!Character.isDigit(u.cp) && !lone && !symbolIsLetter(units, i, word[1])) {
                    continue;
                }
                String original = new String(Character.toChars(u.cp));
                u.cp = readings.charAt(0);
                u.alternatives = readings.substring(1) + original;
                u.mask |= FoldStep.LEET.bit();
            }
        }
    }

    /** A symbol reads as a letter before another letter or digit ("@didas"); at the end only "$" does ("Van$"). */
    private static boolean symbolIsLetter(List<Unit> units, int i, int wordEnd) {
        if (i == wordEnd - 1) {
            return units.get(i).cp == '$';
        }
        int next = units.get(i + 1).cp;
        return Character.isLetterOrDigit(next) || LEET.containsKey(next);
    }

    /** Maximal runs of non-space units, as {@code [start, end)} index pairs. */
    private static List<int[]> words(List<Unit> units) {
        List<int[]> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= units.size(); i++) {
            boolean space = i == units.size() || isSpace(units.get(i).cp);
            if (space && start >= 0) {
                words.add(new int[] {start, i});
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return words;
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x200B || cp == 0x200C
                || cp == 0x200D || cp == 0xFEFF;
    }

    private static boolean isWordChar(Unit u) {
        return Character.isLetterOrDigit(u.cp);
    }

    /**
     * Splits units into tokens of letters and digits. Without the spacing fold every other
     * character separates tokens. With it, punctuation inside a word joins its parts ("n.i.k.e",
     * "ni-ke") and runs of single-letter words are joined ("n i k e").
     */
    private static FoldedText tokens(String original, List<Unit> units, boolean spacing) {
        List<List<Unit>> tokens = new ArrayList<>();
        if (!spacing) {
            List<Unit> current = new ArrayList<>();
            for (Unit u : units) {
                if (isWordChar(u)) {
                    current.add(u);
                } else if (!current.isEmpty()) {
                    tokens.add(current);
                    current = new ArrayList<>();
                }
            }
            if (!current.isEmpty()) {
                tokens.add(current);
            }
        } else {
            List<List<Unit>> joined = new ArrayList<>();
            for (int[] word : words(units)) {
                List<Unit> current = new ArrayList<>();
                boolean gap = false;
                for (int i = word[0]; i < word[1]; i++) {
                    Unit u = units.get(i);
                    if (!isWordChar(u)) {
                        gap = !current.isEmpty();
                        continue;
                    }
                    if (gap) {
                        u.mask |= FoldStep.SPACING.bit();
                        gap = false;
                    }
                    current.add(u);
                }
                if (!current.isEmpty()) {
                    joined.add(current);
                }
            }
            for (int w = 0; w < joined.size(); ) {
                int end = w;
                while (end < joined.size() && joined.get(end).size() == 1) {
                    end++;
                }
                if (end - w >= MIN_SPACED_RUN) {
                    List<Unit> run = new ArrayList<>();
                    for (int k = w; k < end; k++) {
                        Unit u = joined.get(k).get(0);
                        u.mask |= FoldStep.SPACING.bit();
                        run.add(u);
                    }
                    tokens.add(run);
                    w = end;
                } else {
                    tokens.add(joined.get(w));
                    w++;
                }
            }
        }
        return build(original, splitAtUnspacedScripts(tokens));
    }

    /**
     * Chinese, Japanese, Thai and similar scripts do not put spaces between words, so "耐克Nike运动鞋"
     * is one run of letters; splitting where such a script meets another one lets "Nike" stand
     * as a word of its own.
     */
    private static List<List<Unit>> splitAtUnspacedScripts(List<List<Unit>> tokens) {
        List<List<Unit>> out = new ArrayList<>(tokens.size());
        for (List<Unit> token : tokens) {
            List<Unit> current = new ArrayList<>();
            Boolean currentUnspaced = null;
            for (Unit u : token) {
                Character.UnicodeScript script = Character.UnicodeScript.of(u.cp);
                // Marks shared by scripts (the katakana long vowel ー is COMMON) stay with their word.
                if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED) {
                    boolean unspaced = unspaced(script);
                    if (currentUnspaced != null && currentUnspaced != unspaced && !current.isEmpty()) {
                        out.add(current);
                        current = new ArrayList<>();
                    }
                    currentUnspaced = unspaced;
                }
                current.add(u);
            }
            out.add(current);
        }
        return out;
    }

    private static boolean unspaced(Character.UnicodeScript script) {
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.THAI
                || script == Character.UnicodeScript.LAO || script == Character.UnicodeScript.KHMER
                || script == Character.UnicodeScript.MYANMAR;
    }

    private static FoldedText build(String original, List<List<Unit>> tokens) {
        StringBuilder text = new StringBuilder();
        List<Unit> flat = new ArrayList<>();
        int[] tokenStart = new int[tokens.size()];
        int[] tokenEnd = new int[tokens.size()];
        for (int t = 0; t < tokens.size(); t++) {
            if (t > 0) {
                text.append(' ');
                flat.add(null);
            }
            tokenStart[t] = text.length();
            for (Unit u : tokens.get(t)) {
                // Folded letters are BMP in practice; a supplementary one takes two slots, both mapped back.
                char[] chars = Character.toChars(u.cp);
                for (char c : chars) {
                    text.append(c);
                    flat.add(u);
                }
            }
            tokenEnd[t] = text.length();
        }
        int n = text.length();
        String[] alternatives = new String[n];
        int[] sourceStart = new int[n];
        int[] sourceEnd = new int[n];
        int[] masks = new int[n];
        for (int i = 0; i < n; i++) {
            Unit u = flat.get(i);
            if (u == null) {
                sourceStart[i] = -1;
                sourceEnd[i] = -1;
                continue;
            }
            alternatives[i] = u.alternatives;
            sourceStart[i] = u.start;
            sourceEnd[i] = u.end;
            masks[i] = u.mask;
        }
        return new FoldedText(original, text.toString(), alternatives, sourceStart, sourceEnd, masks,
                tokenStart, tokenEnd);
    }

    private static Map<Integer, String> pairs(String spec) {
        Map<Integer, String> map = new HashMap<>();
        String[] parts = spec.trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            map.put(parts[i].codePointAt(0), parts[i + 1]);
        }
        return Map.copyOf(map);
    }

    /** One character on its way through the folds, with where it came from. */
    private static final class Unit {
        int cp;
        int start;
        int end;
        int mask;
        String alternatives;

        Unit(int cp, int start, int end, int mask, String alternatives) {
            this.cp = cp;
            this.start = start;
            this.end = end;
            this.mask = mask;
            this.alternatives = alternatives;
        }
    }
}
