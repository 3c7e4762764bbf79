package io.brandscan.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.image.ImageVariants;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** score-images and score-text run in-process on the real test images, model and text scorer. */
class ScoreCommandsTest {

    @TempDir
    static Path dir;
    static Path refs;
    static Path cands;

    record Run(int code, List<JsonObject> lines, String err) {
        List<JsonObject> pairs() {
            return lines.stream().filter(l -> l.containsKey("image_score")).toList();
        }

        List<JsonObject> errors() {
            return lines.stream().filter(l -> l.containsKey("error")).toList();
        }
    }

    @BeforeAll
    static void files() throws IOException {
        refs = Files.createDirectories(dir.resolve("refs"));
        Files.write(refs.resolve("coffee.png"), resource("coffee.png"));
        Files.write(refs.resolve("a-chelsea.png"), resource("chelsea.png"));
        Files.writeString(refs.resolve("README.txt"), "reference photos of the brand\n");
        Files.createDirectories(refs.resolve("sub"));
        // Looks like a JPEG, is cut short: an image by its bytes, so it is taken and refused.
        byte[] rocket = resource("rocket.jpg");
        Files.write(refs.resolve("sub/broken.jpg"), Arrays.copyOf(rocket, rocket.length / 3));
        cands = Files.createDirectories(dir.resolve("cands"));
        BufferedImage chelsea = ImageIO.read(new ByteArrayInputStream(resource("chelsea.png")));
        Files.write(cands.resolve("chelsea-copy.jpg"), ImageVariants.jpegBytes(ImageVariants.mirror(
                ImageVariants.resize(chelsea, 0.5)), 0.6f));
        Files.write(cands.resolve("rocket.jpg"), rocket);
        Files.writeString(cands.resolve("notes.html"), "<html>not a photo</html>");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ScoreCommandsTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Run run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        List<JsonObject> lines = out.toString().lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
        return new Run(code, lines, err.toString());
    }

    @Test
    void mainKnowsBothCommands() {
        Set<String> names = Main.commandLine().getSubcommands().keySet();
        assertTrue(names.containsAll(Set.of("run", "score-images", "score-text")), names.toString());
    }

    @Test
    void scoreImagesComparesEveryPairAndReportsBadFilesAsLines() {
        Path missing = dir.resolve("no-such-file.jpg");
        Run r = run(Main.commandLine(), "score-images", "--reference", refs.toString(),
                "--candidate", cands.resolve("chelsea-copy.jpg") + "," + cands.resolve("rocket.jpg"),
                "--candidate", cands.resolve("notes.html").toString(), "--candidate", missing.toString());
        assertEquals(0, r.code(), r.err());
        // 2 readable references x 2 readable candidates
        List<JsonObject> pairs = r.pairs();
        assertEquals(4, pairs.size(), r.lines().toString());
        for (JsonObject p : pairs) {
            for (String key : List.of("reference", "candidate", "image_score", "embedding_cosine", "embedding_view", "ahash", "dhash",
                    "phash", "mirrored", "trimmed")) {
                assertTrue(p.containsKey(key), key + " in " + p);
            }
            double score = p.getDouble("image_score");
            assertTrue(score >= 0 && score <= 1);
        }
        // Directories are walked in sorted order: a-chelsea.png before coffee.png.
        assertTrue(pairs.get(0).getString("reference").endsWith("a-chelsea.png"));
        JsonObject copy = pairs.get(0);
        assertTrue(copy.getString("candidate").endsWith("chelsea-copy.jpg"));
        assertTrue(copy.getDouble("image_score") >= 0.5, copy.encode());
        assertTrue(copy.getBoolean("mirrored"), "the copy is a mirror image: " + copy.encode());
        for (JsonObject p : pairs.subList(1, 4)) {
            assertTrue(p.getDouble("image_score") < 0.5, p.encode());
        }
        // Errors: the truncated JPEG in the directory, the named HTML file and the missing path.
        Set<String> errors = r.errors().stream().map(e -> Path.of(e.getString("file")).getFileName() + ":"
                + e.getString("error")).collect(Collectors.toSet());
        assertEquals(Set.of("broken.jpg:corrupt", "notes.html:not_an_image", "no-such-file.jpg:not_found"), errors);
        r.errors().forEach(e -> assertFalse(e.getString("reason").isBlank()));
        assertFalse(r.lines().toString().contains("README"), "a non-image in a directory is skipped");
        assertTrue(r.err().contains("README.txt"), "and the skip is noted on stderr: " + r.err());
    }

    @Test
    void scoreImagesUsageErrorsExitWithTwo() {
        assertEquals(2, run(Main.commandLine(), "score-images", "--reference", refs.toString()).code());
        Run badJson = run(Main.commandLine(), "score-images", "--reference", refs.toString(), "--candidate",
                cands.toString(), "--model-conf", "{not json");
        assertEquals(2, badJson.code());
        assertTrue(badJson.err().contains("--model-conf"), badJson.err());
        Run badSpec = run(Main.commandLine(), "score-images", "--reference", refs.toString(), "--candidate",
                cands.toString(), "--model-conf", "{\"dimension\": 0}");
        assertEquals(2, badSpec.code());
        assertTrue(badSpec.err().contains("dimension"), badSpec.err());
        assertTrue(badSpec.lines().isEmpty());
    }

    @Test
    void scoreImagesWithAModelConfFile() throws IOException {
        Path conf = Files.writeString(dir.resolve("model.json"), "{\"input_width\": 224, \"intra_op_threads\": 1}");
        Run r = run(Main.commandLine(), "score-images", "--reference", refs.resolve("coffee.png").toString(),
                "--candidate", refs.resolve("coffee.png").toString(), "--model-conf", conf.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.pairs().size());
        assertEquals(1.0, r.pairs().get(0).getDouble("image_score"), 1e-9);
        assertEquals(0, r.pairs().get(0).getInteger("phash"));
    }

    @Test
    void scoreTextExplainsEachTitleFromArguments() {
        Run r = run(Main.commandLine(), "score-text", "--names", "Nike,Adidas", "--misspellings", "Nikee",
                "--no-embeddings", "N1KE air running shoes", "garden hose 20m", "nikee socks");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.lines().size());
        JsonObject leet = r.lines().get(0);
        assertEquals("N1KE air running shoes", leet.getString("title"));
        assertTrue(leet.getBoolean("matched"));
        assertEquals("folded_name", leet.getString("rule"));
        assertEquals("Nike", leet.getString("brand_term"));
        assertEquals("N1KE", leet.getJsonObject("span").getString("text"));
        assertTrue(leet.getJsonArray("folds").contains("leet"), leet.encode());
        assertFalse(leet.getBoolean("embedding_used"));
        JsonObject hose = r.lines().get(1);
        assertFalse(hose.getBoolean("matched"));
        assertEquals("none", hose.getString("rule"));
        assertEquals("known_misspelling", r.lines().get(2).getString("rule"));
        for (JsonObject l : r.lines()) {
            for (String key : List.of("score", "lexical_score", "embedding_score", "span", "folds")) {
                assertTrue(l.containsKey(key), key);
            }
        }
    }

    @Test
    void scoreTextReadsTitlesFromStdinWithTheRealSentenceModel() {
        String input = "Adidas Ultraboost trainers\n\n  \nsummer dress with flowers\n";
        Run r = run(new CommandLine(new ScoreTextCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))),
                "--names", "Adidas", "--keywords", "Ultraboost", "--description", "running shoes and sportswear");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.lines().size(), "blank lines are skipped");
        JsonObject brand = r.lines().get(0);
        assertTrue(brand.getBoolean("embedding_used"));
        assertTrue(brand.getDouble("embedding_score") > 0, brand.encode());
        assertEquals("exact_name", brand.getString("rule"));
        assertTrue(brand.getDouble("score") > r.lines().get(1).getDouble("score"));
        assertNotEquals(0.0, brand.getDouble("embedding_cosine"));
    }

    @Test
    void scoreTextWithoutNamesIsAUsageError() {
        Run r = run(Main.commandLine(), "score-text", "--no-embeddings", "some title");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--names"), r.err());
        Run blank = run(Main.commandLine(), "score-text", "--names", " ", "--no-embeddings", "x");
        assertEquals(2, blank.code());
    }
}
