package io.brandscan.dashboard;

import io.brandscan.launcher.RegistryGroup;
import io.brandscan.api.ApiVerticle;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.pipeline.acquire.AcquireVerticle;
import io.brandscan.pipeline.ai.AiVerticle;
import io.brandscan.pipeline.gather.GatherVerticle;
import io.brandscan.push.ClientScanForwarder;
import io.brandscan.push.PushCounters;
import io.brandscan.push.PushVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser (Debian's chromium through chromedriver, headless; nothing is
 * downloaded): the api group serving the page, the push tier serving SSE and the bridge, and the
 * real gather, acquire, embedding and AI verticles, all in this process over DevServices on port 0,
 * scanning a json-feed on a loopback "marketplace". Client A's user signs in, opens a brand,
 * starts a scan, watches every phase bar reach 100% without a reload, reviews a finding beside
 * its reference photo; client B's user sees none of it, and B's token cannot register A's bridge
 * address. Screenshots of the main pages go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path IMAGES = Path.of("src/test/resources/images");
    private static final Path SHOTS = Path.of("target/screenshots");
    private static final String ADMIN = "dashboard-admin-token-0123456789";
    private static final String SECRET = "0123456789abcdef0123456789abcdef-dashboard";
    private static final String PASSWORD = "correct horse battery";

    private static DevServices services;
    private static Vertx vertx;
    private static HttpServer market;
    private static int apiPort;
    private static int pushPort;
    private static int registryPortForTest;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium on this machine");
        services = DevServices.start(new DevServicesSettings(true, 0, true, 0, null, "k", "s", true, 0, null));
        vertx = Vertx.vertx();
        market = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    String path = req.path();
                    if (path.equals("/feed")) {
                        req.response().putHeader("content-type", "application/json").end(feed(req.localAddress().port()).encode());
                    } else if (path.startsWith("/img/") && !path.contains("..")) {
                        try {
                            String name = path.substring(5);
                            req.response().putHeader("content-type", name.endsWith(".jpg") ? "image/jpeg" : "image/png")
                                    .end(Buffer.buffer(Files.readAllBytes(IMAGES.resolve(name))));
                        } catch (Exception e) {
                            req.response().setStatusCode(404).end();
                        }
                    } else {
                        req.response().setStatusCode(404).end();
                    }
                }).listen().await();
        String allow = "127.0.0.1:" + market.actualPort();
        JsonObject adapters = services.adapterConfig();
        JsonObject sqs = adapters.getJsonObject("sqs").copy().put("create_queues", true)
                .put("wait_time_s", 1).put("retry_backoff_s", 1).put("max_receive_count", 3);
        JsonObject s3 = adapters.getJsonObject("s3").copy().put("create_bucket", true);
        JsonObject mongo = adapters.getJsonObject("mongo").copy().put("db_name", "dashboard_test");

        PushCounters counters = new PushCounters();
        JsonObject pushConf = new JsonObject()
                .put("push", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("jwt_secret", SECRET)
                        .put("admin_token", ADMIN))
                .put("mongo", mongo.copy().put("pool_name", "dash-push")).put("store", new JsonObject());
        await(vertx.deployVerticle(new ClientScanForwarder(Clock.systemUTC(), counters), new DeploymentOptions().setConfig(pushConf)));
        PushVerticle push = new PushVerticle(Clock.systemUTC(), counters);
        await(vertx.deployVerticle(push, new DeploymentOptions().setConfig(pushConf)));
        pushPort = push.actualPort();

        int registryPort = await(RegistryGroup.start(vertx, new JsonObject().put("port", 0).put("host", "127.0.0.1"), 1));
        registryPortForTest = registryPort;
        JsonObject apiConf = new JsonObject()
                .put("api", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("admin_token", ADMIN)
                        .put("jwt_secret", SECRET).put("push_url", "http://127.0.0.1:" + pushPort))
                .put("sqs", sqs).put("s3", s3).put("mongo", mongo.copy().put("pool_name", "dash-api")).put("store", new JsonObject())
                .put("registry_client", new JsonObject().put("port", registryPort));
        ApiVerticle api = new ApiVerticle();
        await(vertx.deployVerticle(api, new DeploymentOptions().setConfig(apiConf)));
        apiPort = api.actualPort();

        await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        JsonObject workers = new JsonObject().put("sqs", sqs.copy()).put("s3", s3.copy())
                .put("mongo", mongo.copy().put("pool_name", "dash-workers")).put("store", new JsonObject())
                .put("registry_client", new JsonObject().put("port", registryPort))
                .put("download", new JsonObject().put("allow", new JsonArray().add(allow)).put("timeout_ms", 5000))
                .put("gather", new JsonObject().put("allow", new JsonArray().add(allow))
                        .put("registry_client", new JsonObject().put("port", registryPort)))
                .put("acquire", new JsonObject().put("sweep_interval_ms", 500))
                .put("ai", new JsonObject());
        await(vertx.deployVerticle(new GatherVerticle(Clock.systemUTC()), new DeploymentOptions().setConfig(GatherVerticle.configFrom(workers)
                .put("registry_client", workers.getJsonObject("registry_client")))));
        await(vertx.deployVerticle(new AcquireVerticle(), new DeploymentOptions().setConfig(workers)));
        await(vertx.deployVerticle(new AiVerticle(), new DeploymentOptions().setConfig(AiVerticle.configFrom(workers))));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
        if (services != null) {
            services.close();
        }
    }

    /** Two copies of the brand's reference photo under look-alike titles, two unrelated listings. */
    private static JsonArray feed(int port) {
        String base = "http://127.0.0.1:" + port + "/img/";
        return new JsonArray()
                .add(listing(1, "Rokket Original launch poster", base + "rocket.jpg", "knockoffs-r-us", 9.5))
                .add(listing(2, "ROCKET poster, best price", base + "rocket.jpg", "copycat", 12.0))
                .add(listing(3, "Garden gravel sample", base + "gravel.png", "stones", 30.0))
                .add(listing(4, "Coffee cup photo print", base + "coffee.png", "cafe", 15.0));
    }

    private static JsonObject listing(int i, String title, String image, String seller, double price) {
        return new JsonObject().put("url", "https://market.example/item/" + i).put("title", title)
                .put("price", price).put("currency", "USD").put("seller", seller).put("image_url", image);
    }

    @Test
    void aUserScansLiveReviewsAFindingAndAnotherClientSeesNoneOfIt() throws Exception {
        JsonObject clientA = call("POST", "/api/v1/clients", ADMIN, new JsonObject().put("name", "Rocket Co"), 201);
        String keyA = clientA.getString("api_key");
        call("POST", "/api/v1/users", keyA, new JsonObject().put("email", "ana@rocket.example").put("password", PASSWORD)
                .put("role", "analyst"), 201);
        JsonObject clientB = call("POST", "/api/v1/clients", ADMIN, new JsonObject().put("name", "Other Co"), 201);
        call("POST", "/api/v1/users", clientB.getString("api_key"), new JsonObject().put("email", "bo@other.example")
                .put("password", PASSWORD).put("role", "analyst"), 201);
        String market = "http://127.0.0.1:" + DashboardBrowserTest.market.actualPort();
        call("PUT", "/api/v1/brands/rocket", keyA, new JsonObject().put("name", "Rocket")
                .put("names", new JsonArray().add("Rocket")).put("misspellings", new JsonArray().add("Rokket"))
                .put("keywords", new JsonArray().add("poster"))
                .put("reference_images", new JsonArray().add(market + "/img/rocket.jpg"))
                .put("provider", new JsonObject().put("type", "json-feed").put("url", market + "/feed"))
                .put("schedule", new JsonObject().put("type", "manual")), 201);

        WebDriver a = browser();
        WebDriver b = null;
        try {
            String base = "http://127.0.0.1:" + apiPort + "/";
            a.get(base);
            waitFor(a, () -> !a.findElements(By.id("login-form")).isEmpty(), "the login page");
            shot(a, "login");
            signIn(a, "ana@rocket.example", "wrong password");
            waitFor(a, () -> a.findElement(By.cssSelector("#login-form .error")).isDisplayed(), "a wrong password is refused on screen");
            signIn(a, "ana@rocket.example", PASSWORD);
            waitFor(a, () -> !a.findElements(By.cssSelector("[data-brand='rocket']")).isEmpty(), "the brand list");
            shot(a, "brands");

            a.findElement(By.cssSelector("[data-brand='rocket'] a.button")).click();
            waitFor(a, () -> !a.findElements(By.id("brand-form")).isEmpty(), "the brand editor");
            waitFor(a, () -> imageLoaded(a, "#reference-previews img"), "the reference preview");
            shot(a, "brand-editor");
            WebElement keywords = a.findElement(By.name("keywords"));
            keywords.sendKeys("\nprint");
            a.findElement(By.id("brand-save")).click();
            waitFor(a, () -> a.findElement(By.id("toast")).getText().contains("saved"), "the save is confirmed");
            assertTrue(call("GET", "/api/v1/brands/rocket", keyA, null, 200).getJsonArray("keywords").contains("print"),
                    "the editor saved through PUT");

            js(a).executeScript("window.__noReload = 'still here';");
            a.findElement(By.id("editor-start")).click();
            waitFor(a, () -> !a.findElements(By.id("live-scan")).isEmpty(), "the live scan view");
            String scanId = a.getCurrentUrl().replaceAll(".*#/scans/", "");
            for (String phase : new String[] {"gathered", "acquired", "committed", "scored"}) {
                waitFor(a, () -> "100".equals(a.findElement(By.cssSelector("[data-phase='" + phase + "']")).getAttribute("data-percent")),
                        phase + " reaches 100%", 180);
            }
            waitFor(a, () -> "complete".equals(a.findElement(By.id("scan-state")).getAttribute("data-state")), "state complete");
            assertEquals("still here", js(a).executeScript("return window.__noReload;"), "the bars moved without a reload");
            assertTrue(Integer.parseInt(a.findElement(By.id("live-scan")).getAttribute("data-events")) > 0,
                    "the bars were moved by events from the push tier's SSE stream");
            assertEquals("0", a.findElement(By.cssSelector("[data-phase='failed']")).getAttribute("data-percent"));
            shot(a, "live-scan");

            a.findElement(By.id("to-findings")).click();
            waitFor(a, () -> a.findElements(By.cssSelector("[data-finding]")).size() == 4, "four findings");
            WebElement top = a.findElements(By.cssSelector("[data-finding]")).get(0);
            String findingId = top.getAttribute("data-finding");
            waitFor(a, () -> imageLoaded(a, "[data-finding='" + findingId + "'] .listing-img")
                    && imageLoaded(a, "[data-finding='" + findingId + "'] .reference-img"), "both images of the top finding");
            assertFalse(a.findElement(By.id("view")).getText().contains("{\""), "no raw JSON on screen");
            assertEquals("open", top.getAttribute("data-status"));
            top.findElement(By.cssSelector("button[data-decision='confirmed']")).click();
            waitFor(a, () -> "confirmed".equals(a.findElement(By.cssSelector("[data-finding='" + findingId + "']")).getAttribute("data-status")),
                    "the status changes on screen");
            assertEquals("confirmed", a.findElement(By.cssSelector("[data-finding='" + findingId + "'] [data-role='review-status']"))
                    .getText().toLowerCase(java.util.Locale.ROOT), "the badge shows the new status");
            assertEquals("confirmed", call("GET", "/api/v1/findings/" + findingId, keyA, null, 200).getString("review_status"));
            shot(a, "findings");
            new org.openqa.selenium.support.ui.Select(a.findElement(By.id("filter-status"))).selectByValue("confirmed");
            waitFor(a, () -> a.findElements(By.cssSelector("[data-finding]")).size() == 1, "the status filter");

            b = browser();
            WebDriver bb = b;
            bb.get(base);
            waitFor(bb, () -> !bb.findElements(By.id("login-form")).isEmpty(), "B's login page");
            signIn(bb, "bo@other.example", PASSWORD);
            waitFor(bb, () -> !bb.findElements(By.cssSelector(".empty")).isEmpty(), "B's empty brand list");
            assertTrue(bb.findElements(By.cssSelector("[data-brand]")).isEmpty(), "B sees no brand of A");
            bb.get(base + "#/scans");
            waitFor(bb, () -> bb.findElement(By.id("view")).getText().contains("No scans yet"), "B's empty scan list");
            bb.get(base + "#/scans/" + scanId);
            waitFor(bb, () -> !bb.findElements(By.cssSelector("[role='alert']")).isEmpty(), "A's scan is not found for B");
            assertTrue(bb.findElements(By.id("live-scan")).isEmpty());
            String tokenB = (String) js(bb).executeScript("return sessionStorage.getItem('brandscan.token');");
            String tokenA = (String) js(a).executeScript("return sessionStorage.getItem('brandscan.token');");
            Object image = js(bb).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/v1/findings/" + findingId + "/image', {headers: {Authorization: 'Bearer " + tokenB + "'}})"
                    + ".then(r => done(r.status), e => done(String(e)));");
            assertEquals(404L, image, "B cannot fetch A's evidence image");

            // A hand-made bridge registration for A's address with B's token, from B's browser.
            String address = "brandscan.client." + clientA.getString("id") + ".scans";
            String socket = "const done = arguments[arguments.length - 1]; const got = [];"
                    + "const ws = new WebSocket('ws://127.0.0.1:" + pushPort + "/eventbus/websocket?access_token=' + arguments[0]);"
                    + "ws.onopen = () => ws.send(JSON.stringify({type: 'register', address: '" + address + "', headers: {access_token: arguments[0]}}));"
                    + "ws.binaryType = 'arraybuffer';"
                    + "ws.onmessage = (m) => { got.push(typeof m.data === 'string' ? m.data : new TextDecoder().decode(m.data)); if (got.length >= 1) { ws.close(); done(got.join('|')); } };"
                    + "ws.onclose = (c) => done('closed ' + c.code + ' ' + c.reason + ':' + got.join('|'));"
                    + "setTimeout(() => done('timeout:' + got.join('|')), 8000);";
            Object refused = js(bb).executeAsyncScript(socket, tokenB);
            assertTrue(String.valueOf(refused).contains("\"err\"") && String.valueOf(refused).contains("rejected"),
                    "B's registration of A's address is refused: " + refused);
            Object silent = js(a).executeAsyncScript(socket.replace("setTimeout(() => done('timeout:' + got.join('|')), 8000);",
                    "setTimeout(() => { ws.close(); done('quiet:' + got.join('|')); }, 1500);"), tokenA);
            assertTrue(String.valueOf(silent).startsWith("quiet:"), "A's own registration is accepted (no err frame): " + silent);

            // The operator view: the platform admin token opens the registry's batches, moving live.
            WebDriver op = browser();
            try {
                String batch = "ops-client/scan-live/1";
                registryPost("/start", new JsonObject().put("brand", batch).put("expected_count", 4));
                op.get(base + "#/login");
                waitFor(op, () -> !op.findElements(By.id("operator-form")).isEmpty(), "the operator sign-in");
                op.findElement(By.cssSelector("#operator-form input[name=token]")).sendKeys("not-the-token");
                op.findElement(By.cssSelector("#operator-form button[type=submit]")).click();
                waitFor(op, () -> op.findElement(By.id("operator-form")).getText().contains("not the platform admin token"),
                        "a wrong token is refused");
                WebElement token = op.findElement(By.cssSelector("#operator-form input[name=token]"));
                token.clear();
                token.sendKeys(ADMIN);
                op.findElement(By.cssSelector("#operator-form button[type=submit]")).click();
                String row = "tr[data-batch='" + batch + "'] .bar";
                waitFor(op, () -> !op.findElements(By.cssSelector(row)).isEmpty(), "the batch in the operator view");
                assertEquals("0", op.findElement(By.cssSelector(row)).getAttribute("data-percent"));
                waitFor(op, () -> "Live".equals(op.findElement(By.id("operator-live")).getText()), "live updates on");
                js(op).executeScript("window.__noReload = true;");
                registryPost("/submit", new JsonObject().put("brand", batch).put("result", new JsonObject().put("url", "u1")));
                registryPost("/submit", new JsonObject().put("brand", batch).put("result", new JsonObject().put("url", "u2")));
                waitFor(op, () -> "50".equals(op.findElement(By.cssSelector(row)).getAttribute("data-percent")),
                        "the batch's progress moves without a reload");
                assertEquals(Boolean.TRUE, js(op).executeScript("return window.__noReload === true;"));
                shot(op, "operator");
            } finally {
                op.quit();
            }

            // A link carrying a session (what `brandscan demo` prints) opens signed in, and the token leaves the address bar.
            WebDriver c = browser();
            try {
                c.get(base + "#/welcome?token=" + tokenA + "&email=ana%40rocket.example");
                waitFor(c, () -> !c.findElements(By.cssSelector("[data-brand]")).isEmpty(), "A's brands, signed in by the link");
                assertTrue(c.findElements(By.id("login-form")).isEmpty(), "no sign-in form");
                assertFalse(c.getCurrentUrl().contains("token="), "the token is gone from the address: " + c.getCurrentUrl());
            } finally {
                c.quit();
            }
        } finally {
            a.quit();
            if (b != null) {
                b.quit();
            }
        }
    }

    /** A POST straight to the registry's own API (the operator view's data source). */
    private static void registryPost(String path, JsonObject body) throws Exception {
        java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + registryPortForTest + path))
                        .header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, res.statusCode(), path + ": " + res.body());
    }

    private static void signIn(WebDriver d, String email, String password) {
        WebElement form = d.findElement(By.id("login-form"));
        form.findElement(By.name("email")).clear();
        form.findElement(By.name("email")).sendKeys(email);
        form.findElement(By.name("password")).clear();
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static WebDriver browser() {
        // Debian's chromium and chromedriver only: Selenium Manager must never download a browser.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static JavascriptExecutor js(WebDriver d) {
        return (JavascriptExecutor) d;
    }

    private static boolean imageLoaded(WebDriver d, String css) {
        Object w = js(d).executeScript("const i = document.querySelector(arguments[0]); return i && i.complete ? i.naturalWidth : 0;", css);
        return w instanceof Number n && n.longValue() > 0;
    }

    private static void waitFor(WebDriver d, java.util.function.BooleanSupplier ok, String what) {
        waitFor(d, ok, what, 30);
    }

    private static void waitFor(WebDriver d, java.util.function.BooleanSupplier ok, String what, int seconds) {
        try {
            new WebDriverWait(d, Duration.ofSeconds(seconds)).ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(x -> ok.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            shot(d, "failure");
            throw new AssertionError("timed out waiting for " + what + "; page: " + d.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static void shot(WebDriver d, String name) {
        try {
            File file = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
            Files.copy(file.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new AssertionError("screenshot " + name, e);
        }
    }

    /** A blocking JDK HTTP call from the test thread (no Vert.x client, so no event loop is involved). */
    private static JsonObject call(String method, String path, String token, JsonObject body, int expected) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        if (body != null) {
            req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, res.statusCode(), method + " " + path + ": " + res.body());
        return res.body().isEmpty() ? new JsonObject() : new JsonObject(res.body());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
