package io.brandscan.embedding.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Ordinary English words, with a rough frequency rank, so the matcher can tell a misspelt brand
 * from a real word that happens to be one edit away ("nice" and "bike" are not typos of "Nike";
 * "channel" is not "Chanel") and can spot brand names that are themselves everyday words ("Gap",
 * "Guess", "Coach"). The default list is the word-level part of the BERT uncased vocabulary that
 * ships inside the langchain4j embeddings jar (about 20,000 words, roughly in frequency order),
 * so no extra file has to be maintained. Immutable and thread-safe.
 */
public final class CommonWords {

    /** Resource inside langchain4j-embeddings holding the BERT WordPiece vocabulary. */
    static final String BERT_VOCABULARY = "bert-vocabulary-en.txt";

    private static volatile CommonWords bert;

    private final Map<String, Integer> rank;

    private CommonWords(Map<String, Integer> rank) {
        this.rank = Map.copyOf(rank);
    }

    /** Words in the given order, the first being the most frequent. */
    public static CommonWords of(Iterable<String> wordsByFrequency) {
        Map<String, Integer> rank = new HashMap<>();
        int r = 0;
        for (String w : wordsByFrequency) {
            rank.putIfAbsent(w.toLowerCase(Locale.ROOT), r++);
        }
        return new CommonWords(rank);
    }

    /** The shared list read once from the BERT vocabulary on the classpath. */
    public static CommonWords bertVocabulary() {
        CommonWords words = bert;
        if (words == null) {
            synchronized (CommonWords.class) {
                words = bert;
                if (words == null) {
                    words = loadBert();
                    bert = words;
                }
            }
        }
        return words;
    }

    private static CommonWords loadBert() {
        InputStream in = CommonWords.class.getClassLoader().getResourceAsStream(BERT_VOCABULARY);
        if (in == null) {
            throw new IllegalStateException(BERT_VOCABULARY + " is not on the classpath: it comes with "
                    + "dev.langchain4j:langchain4j-embeddings");
        }
        Map<String, Integer> rank = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int r = 0;
            while ((line = reader.readLine()) != null) {
                // Skip special tokens, single characters and "##" word pieces: only whole words count.
                if (line.length() < 2 || !line.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                    continue;
                }
                rank.putIfAbsent(line, r++);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CommonWords(rank);
    }

    /** True if {@code word} (lowercase) is a known word at all. */
    public boolean contains(String word) {
        return rank.containsKey(Objects.requireNonNull(word, "word"));
    }

    /** True if {@code word} is among the {@code topN} most frequent words. */
    public boolean isAmongMostFrequent(String word, int topN) {
        Integer r = rank.get(Objects.requireNonNull(word, "word"));
        return r != null && r < topN;
    }

    public int size() {
        return rank.size();
    }
}
