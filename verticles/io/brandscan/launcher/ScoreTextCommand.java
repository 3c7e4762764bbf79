package io.brandscan.launcher;

import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.scoring.ScoreJson;
import io.brandscan.embedding.text.BrandTerms;
import io.brandscan.embedding.text.BrandTextProfile;
import io.brandscan.embedding.text.TextScore;
import io.brandscan.embedding.text.TextScorer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code score-text --names <a,b> [--misspellings <c,d>] [--keywords <k>] [--description <text>]
 * [--no-embeddings] [<title>...]}: shows how listing titles match a brand's names. Prints one JSON
 * object per title: the title, the combined score, whether it matched, the rule, the brand term,
 * the span of the title it matched, the folds it needed, and the lexical and embedding parts.
 * With no titles on the command line, titles are read from stdin, one per line (blank lines are
 * skipped), in batches, so a file of thousands of titles can be piped through.
 *
 * <p>Exit codes: 0 when it ran, 2 for bad usage (no names, say).
 */
@Command(name = "score-text", mixinStandardHelpOptions = true,
        description = "Score listing titles against a brand's names: one JSON line per title.")
public final class ScoreTextCommand implements Callable<Integer> {

    /** Titles read from stdin are scored in batches of this many (bounded memory for long inputs). */
    static final int STDIN_BATCH = 256;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--names", required = true, split = ",", paramLabel = "<name>",
            description = "the brand's official names, comma-separated")
    List<String> names;

    @Option(names = "--misspellings", split = ",", paramLabel = "<misspelling>",
            description = "misspellings known to be used by counterfeiters, comma-separated")
    List<String> misspellings = List.of();

    @Option(names = "--keywords", split = ",", paramLabel = "<keyword>",
            description = "product lines and other brand keywords, comma-separated")
    List<String> keywords = List.of();

    @Option(names = "--description", paramLabel = "<text>",
            description = "a short description of the brand's products, for the sentence embedding")
    String description = "";

    @Option(names = "--no-embeddings", description = "lexical matching only (no model is loaded)")
    boolean noEmbeddings;

    @Parameters(arity = "0..*", paramLabel = "<title>", description = "listing titles; none: read stdin, one per line")
    List<String> titles = List.of();

    private final InputStream stdin;

    public ScoreTextCommand() {
        this(System.in);
    }

    ScoreTextCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws IOException {
        BrandTerms terms;
        try {
            terms = new BrandTerms(names, misspellings, keywords, description);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--names: " + e.getMessage());
        }
        TextScorer scorer;
        if (noEmbeddings) {
            scorer = TextScorer.lexicalOnly();
        } else {
            ImageEmbedder.initialiseEngine(); // DJL must create the OrtEnvironment before langchain4j does
            scorer = TextScorer.withMiniLm();
        }
        BrandTextProfile profile = scorer.profile(terms);
        PrintWriter out = spec.commandLine().getOut();
        if (!titles.isEmpty()) {
            print(scorer, profile, titles, out);
        } else {
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            List<String> batch = new ArrayList<>(STDIN_BATCH);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    batch.add(line.strip());
                }
                if (batch.size() == STDIN_BATCH) {
                    print(scorer, profile, batch, out);
                    batch.clear();
                }
            }
            print(scorer, profile, batch, out);
        }
        out.flush();
        return 0;
    }

    private static void print(TextScorer scorer, BrandTextProfile profile, List<String> batch, PrintWriter out) {
        if (batch.isEmpty()) {
            return;
        }
        List<TextScore> scores = scorer.scoreAll(batch, profile);
        for (int i = 0; i < batch.size(); i++) {
            var line = new io.vertx.core.json.JsonObject().put("title", batch.get(i));
            out.println(line.mergeIn(ScoreJson.textScore(scores.get(i))).encode());
        }
        out.flush();
    }
}
