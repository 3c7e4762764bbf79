package io.brandscan.launcher;

import io.brandscan.embedding.image.ImageVariants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code scan} and {@code demo} commands run in-process, each starting the whole all-in-one
 * stack: a real feed on loopback, real images, the real model. Usage errors are refused before
 * anything starts, with exit code 2 and a message naming the problem.
 */
class ScanCommandTest {
    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer shop;
    static HttpServer elsewhere;
    static AtomicInteger elsewhereHits = new AtomicInteger();
    static Path brandFile;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Files.createDirectories(dir.resolve("photos"));
        Files.write(dir.resolve("photos/mug.png"), resource("coffee.png"));
        Files.write(dir.resolve("photos/carrier.png"), resource("chelsea.png"));
        BufferedImage coffee = ImageIO.read(new ByteArrayInputStream(resource("coffee.png")));
        byte[] copy = ImageVariants.jpegBytes(ImageVariants.resize(coffee, 0.6), 0.7f);
        elsewhere = vertx.createHttpServer().requestHandler(req -> {
            elsewhereHits.incrementAndGet();
            req.response().end(Buffer.buffer(copy));
        });
        elsewhere.listen(0, "127.0.0.1").await();
        shop = vertx.createHttpServer().requestHandler(req -> {
            String path = req.path();
            if (path.equals("/feed.json")) {
                req.response().putHeader("content-type", "application/json").end(feed().encode());
            } else if (path.equals("/img/mug-copy.jpg")) {
                req.response().putHeader("content-type", "image/jpeg").end(Buffer.buffer(copy));
            } else if (path.startsWith("/img/")) {
                req.response().end(Buffer.buffer(resource(path.substring(5))));
            } else {
                req.response().setStatusCode(404).end();
            }
        });
        shop.listen(0, "127.0.0.1").await();
        brandFile = dir.resolve("brand.json");
        Files.writeString(brandFile, new JsonObject()
                .put("name", "Basecamp Goods")
                .put("names", new JsonArray().add("Basecamp Goods"))
                .put("misspellings", new JsonArray().add("Basecamp Gooods"))
                .put("keywords", new JsonArray().add("camp mug"))
                .put("reference_images", new JsonArray().add("photos/mug.png").add("photos/carrier.png"))
                .put("reference_price", 40.0)
                .put("authorized_sellers", new JsonArray().add("Basecamp Official"))
                .encodePrettily());
    }

    static JsonArray feed() {
        String base = "http://127.0.0.1:" + shop.actualPort();
        return new JsonArray()
                .add(listing(base + "/l/1", "Basecamp Gooods camp mug, cheap", 9.0, "mugs4less", base + "/img/mug-copy.jpg"))
                .add(listing(base + "/l/2", "Grey brick wall texture print", 25.0, "artshop", base + "/img/brick.png"))
                .add(listing(base + "/l/3", "Moon poster", 12.0, "artshop", base + "/img/moon.png"))
                .add(listing(base + "/l/4", "Gravel path photo", 8.0, "artshop", base + "/img/gravel.png"))
                .add(listing(base + "/l/5", "Basecamp Goods camp mug (elsewhere)", 9.0, "mugs4less",
                        "http://127.0.0.1:" + elsewhere.actualPort() + "/mug.jpg"))
                .add(listing(base + "/l/2", "duplicate of listing 2", 25.0, "artshop", base + "/img/brick.png"));
    }

    static JsonObject listing(String url, String title, double price, String seller, String image) {
        return new JsonObject().put("url", url).put("title", title).put("price", price).put("currency", "USD")
                .put("seller", seller).put("image_url", image);
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void aScanPrintsOneJsonDocumentWithTheFindingsAndTheFailures() throws Exception {
        Run run = scan("--brand", brandFile.toString(), "--feed", "http://127.0.0.1:" + shop.actualPort() + "/feed.json",
                "--json");
        assertEquals(0, run.code(), run.err());
        JsonObject doc = new JsonObject(run.out());
        JsonObject scan = doc.getJsonObject("scan");
        assertEquals("complete", scan.getString("state"));
        assertEquals(5, scan.getJsonObject("counts").getLong("gathered"), "the duplicate url is gathered once");
        JsonArray failures = doc.getJsonArray("failures");
        assertEquals(1, failures.size(), failures.encode());
        assertTrue(failures.getJsonObject(0).getString("url").endsWith("/l/5"));
        assertFalse(failures.getJsonObject(0).getString("error").isBlank());
        assertEquals(0, elsewhereHits.get(), "a private address the command did not allow was fetched");
        JsonArray findings = doc.getJsonArray("findings");
        assertEquals(1, findings.size(), findings.encodePrettily());
        JsonObject finding = findings.getJsonObject(0);
        assertTrue(finding.getString("url").endsWith("/l/1"));
        assertTrue(finding.getString("image_url").endsWith("/img/mug-copy.jpg"));
        assertEquals("Basecamp Gooods camp mug, cheap", finding.getString("title"));
        assertTrue(finding.getDouble("score") >= 0.5);
        assertTrue(finding.getJsonObject("breakdown").getJsonObject("image").getDouble("score") > 0.8,
                finding.encodePrettily());
    }

    @Test
    void theDemoRunsItsOwnMarketplaceAndExitsWhenAsked() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new DemoCommand(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)))
                .execute("--exit", "--port", "0", "--listings", "30", "--json");
        String errText = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, errText);
        JsonObject doc = new JsonObject(out.toString(StandardCharsets.UTF_8));
        assertEquals("complete", doc.getJsonObject("scan").getString("state"));
        assertEquals(30, doc.getJsonObject("scan").getJsonObject("counts").getLong("gathered"));
        assertFalse(doc.getJsonArray("findings").isEmpty(), "the demo marketplace has infringing listings");
        assertTrue(errText.contains("demo marketplace: http://127.0.0.1:"), errText);
    }

    @Test
    void usageErrorsExitTwoAndNameTheProblem() {
        String feedUrl = "http://127.0.0.1:" + shop.actualPort() + "/feed.json";
        Run missing = scan("--brand", dir.resolve("nope.json").toString(), "--feed", feedUrl);
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("cannot read brand file"), missing.err());

        Run relative = scan("--brand", brandFile.toString(), "--feed", "/feed.json");
        assertEquals(2, relative.code());
        assertTrue(relative.err().contains("--feed must be an absolute http(s) URL"), relative.err());

        Run badAllow = scan("--brand", brandFile.toString(), "--feed", feedUrl, "--allow", "300.1.2.3.4:x");
        assertEquals(2, badAllow.code());
        assertTrue(badAllow.err().contains("300.1.2.3.4:x"), badAllow.err());

        Run noFeed = scan("--brand", brandFile.toString());
        assertEquals(2, noFeed.code());
        assertTrue(noFeed.err().contains("--feed"), noFeed.err());
    }

    @Test
    void aBrandFileWithProblemsIsRefusedByField() throws IOException {
        Path noName = dir.resolve("noname.json");
        Files.writeString(noName, "{\"names\": [\"x\"]}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BrandFile.read(noName));
        assertTrue(e.getMessage().contains("'name'"), e.getMessage());
        Path missingImage = dir.resolve("missing-image.json");
        Files.writeString(missingImage, "{\"name\": \"x\", \"reference_images\": [\"photos/none.png\"]}");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BrandFile.read(missingImage));
        assertTrue(e.getMessage().contains("photos/none.png"), e.getMessage());
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"name\": ");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> BrandFile.read(notJson));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
        JsonObject read = BrandFile.read(brandFile);
        assertEquals(dir.resolve("photos/mug.png").toString(), read.getJsonArray("reference_images").getString(0));
        assertEquals("basecamp-goods", BrandFile.idOf(read));
    }

    private static Run scan(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new ScanCommand(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                errStream));
        cli.setErr(new java.io.PrintWriter(errStream, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ScanCommandTest.class.getResourceAsStream("/images/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing test image " + name, e);
        }
    }
}
