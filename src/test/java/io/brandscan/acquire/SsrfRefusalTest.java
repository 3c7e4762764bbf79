package io.brandscan.acquire;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.brandscan.acquire.Downloads.await;
import static io.brandscan.acquire.Downloads.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSRF refusals proven from the outside. Loopback targets point at a real canary server that
 * counts requests and TCP connections and must count zero; every other private target is checked
 * through the {@link RecordingConnector}, which refuses non-loopback addresses itself, so these
 * tests never send a packet off this machine even if the downloader were wrong.
 */
class SsrfRefusalTest {
    private static Vertx vertx;
    private static TestImageServer images;
    private static TestImageServer canary;
    private static TestImageServer canary6;

    private final FakeResolver dns = new FakeResolver()
            .map("localhost", "127.0.0.1", "::1")
            .map("metadata.test", "169.254.169.254")
            .map("mixed.test", "93.184.215.14", "10.0.0.1")
            .map("mapped.test", "93.184.215.14", "::ffff:192.168.0.10")
            .map("public.test", "93.184.215.14");
    private RecordingConnector connector;
    private ImageDownloader downloader;

    @BeforeAll
    static void servers() throws Exception {
        vertx = Vertx.vertx();
        images = TestImageServer.start(vertx, "127.0.0.1");
        canary = TestImageServer.start(vertx, "127.0.0.1");
        try {
            canary6 = TestImageServer.start(vertx, "::1");
        } catch (Exception e) {
            canary6 = null; // no IPv6 loopback here; [::1] URLs then target the IPv4 canary's port
        }
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, canary.requests(), "the canary was reached");
        images.close();
        canary.close();
        if (canary6 != null) {
            canary6.close();
        }
        await(vertx.close());
    }

    @AfterEach
    void canaryStillUntouched() throws Exception {
        assertEquals(0, canary.requests(), "canary requests");
        assertEquals(0, canary.connections(), "canary TCP connections");
        if (canary6 != null) {
            assertEquals(0, canary6.connections(), "IPv6 canary TCP connections");
        }
        await(downloader.close());
    }

    /** A downloader whose allowlist holds only the image server (loopback is otherwise refused). */
    private ImageDownloader downloader(HostResolver resolver, String... allow) {
        DownloadSettings settings = DownloadSettings.defaults().withAllow(List.of(allow));
        connector = new RecordingConnector(new HttpConnector(vertx, settings));
        downloader = new ImageDownloader(vertx, settings, resolver, connector);
        return downloader;
    }

    private ImageDownloader onlyImageServerAllowed() {
        return downloader(dns, "127.0.0.1:" + images.port());
    }

    private static String redirectTo(String target) {
        return images.url("/redirect?to=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    }

    private int canary6Port() {
        return canary6 != null ? canary6.port() : canary.port();
    }

    @Test
    void loopbackInEverySpellingNeverReachesTheCanary() {
        ImageDownloader d = onlyImageServerAllowed();
        int c = canary.port();
        List<String> urls = List.of(
                "http://127.0.0.1:" + c + "/img/moon.png",
                "http://localhost:" + c + "/img/moon.png",
                "http://LOCALHOST.:" + c + "/img/moon.png",
                "http://[::1]:" + canary6Port() + "/img/moon.png",
                "http://0x7f.1:" + c + "/img/moon.png",
                "http://2130706433:" + c + "/img/moon.png",
                "http://0177.0.0.1:" + c + "/img/moon.png",
                "http://127.1:" + c + "/img/moon.png",
                "http://[::ffff:127.0.0.1]:" + c + "/img/moon.png",
                "http://0.0.0.0:" + c + "/img/moon.png",
                "http://0:" + c + "/img/moon.png");
        for (String url : urls) {
            DownloadException e = failure(d.download(url), DownloadFailure.BLOCKED_ADDRESS);
            assertFalse(e.retryable(), url);
        }
        assertEquals(List.of(), connector.attempts(), "no connection may even be attempted");
    }

    @Test
    void redirectsFromAnAllowedServerToLoopbackAreRefused() {
        ImageDownloader d = onlyImageServerAllowed();
        int c = canary.port();
        for (String target : List.of("http://127.0.0.1:" + c + "/img/moon.png", "http://localhost:" + c + "/img/moon.png",
                "http://[::1]:" + canary6Port() + "/img/moon.png", "http://0x7f000001:" + c + "/img/moon.png")) {
            DownloadException e = failure(d.download(redirectTo(target)), DownloadFailure.BLOCKED_ADDRESS);
            assertTrue(e.url().toString().contains(":" + (target.contains("[::1]") ? canary6Port() : c)), e.url().toString());
        }
        // Only the four first hops (to the allowlisted image server) were ever sent.
        assertEquals(4, connector.attempts().size());
        assertTrue(connector.attempts().stream().allMatch(h -> h.port() == images.port()));
    }

    @Test
    void privateAndMetadataAddressesAreRefusedWithoutAConnectionAttempt() {
        ImageDownloader d = onlyImageServerAllowed();
        List<String> urls = List.of(
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "http://10.0.0.1/a.png",
                "http://192.168.1.1/a.png",
                "http://172.16.5.4:8080/a.png",
                "http://100.64.0.1/a.png",
                "http://[fd00::1]/a.png",
                "http://[fe80::1]/a.png",
                "http://[::ffff:10.0.0.1]/a.png",
                "http://[::ffff:a9fe:a9fe]/a.png",
                "http://[64:ff9b::a9fe:a9fe]/a.png",
                "http://2852039166/a.png",
                "https://metadata.test/latest/meta-data/");
        for (String url : urls) {
            failure(d.download(url), DownloadFailure.BLOCKED_ADDRESS);
        }
        assertEquals(List.of(), connector.attempts());
    }

    @Test
    void aNameWithOnePublicAndOnePrivateAddressIsRefused() {
        ImageDownloader d = onlyImageServerAllowed();
        DownloadException e = failure(d.download("http://mixed.test/a.png"), DownloadFailure.BLOCKED_ADDRESS);
        assertTrue(e.getMessage().contains("10.0.0.1"), e.getMessage());
        failure(d.download("http://mapped.test/a.png"), DownloadFailure.BLOCKED_ADDRESS);
        assertEquals(List.of(), connector.attempts());
        assertEquals(1, dns.lookups("mixed.test"));
    }

    @Test
    void redirectsToPrivateAddressesAreRefusedAfterTheFirstHop() {
        ImageDownloader d = onlyImageServerAllowed();
        failure(d.download(redirectTo("http://169.254.169.254/latest/meta-data/")), DownloadFailure.BLOCKED_ADDRESS);
        failure(d.download(redirectTo("http://metadata.test/latest/meta-data/")), DownloadFailure.BLOCKED_ADDRESS);
        failure(d.download(redirectTo("http://[fd00::1]/a.png")), DownloadFailure.BLOCKED_ADDRESS);
        failure(d.download(redirectTo("http://mixed.test/a.png")), DownloadFailure.BLOCKED_ADDRESS);
        assertEquals(4, connector.attempts().size());
        assertTrue(connector.attempts().stream().allMatch(h -> h.address().isLoopbackAddress() && h.port() == images.port()));
        assertEquals(1, dns.lookups("metadata.test"), "each hop resolves its host once");
    }

    @Test
    void aPublicAddressIsHandedToTheConnectorExactlyAsChecked() {
        ImageDownloader d = onlyImageServerAllowed();
        // The policy allows it; the recording connector refuses to leave loopback, so the test
        // still sends nothing, but it sees exactly which address the downloader chose.
        DownloadException e = failure(d.download("http://public.test:8080/a.png?x=1"), DownloadFailure.CONNECTION_FAILED);
        assertTrue(e.retryable());
        assertEquals(1, connector.attempts().size());
        HopRequest hop = connector.attempts().get(0);
        assertEquals("93.184.215.14", hop.address().getHostAddress());
        assertEquals(8080, hop.port());
        assertEquals("public.test:8080", hop.hostHeader());
        assertEquals("public.test", hop.serverName());
        assertEquals("/a.png?x=1", hop.requestUri());
        assertEquals(1, connector.refused().size());
    }

    @Test
    void anUnreachableAddressFallsBackOnlyToTheNextCheckedOne() throws Exception {
        // 127.0.0.2 is loopback but nothing listens there; the image server is on 127.0.0.1.
        dns.map("two.test", "127.0.0.2", "127.0.0.1");
        ImageDownloader d = downloader(dns, "127.0.0.2:" + images.port(), "127.0.0.1:" + images.port());
        DownloadedImage image = await(d.download("http://two.test:" + images.port() + "/img/moon.png"));
        assertEquals("127.0.0.1", image.hops().get(0).address().getHostAddress());
        assertEquals(List.of("127.0.0.2", "127.0.0.1"),
                connector.attempts().stream().map(h -> h.address().getHostAddress()).toList());
        // Two public answers: both are tried (and refused by the test connector), nothing else is.
        dns.map("pair.test", "93.184.215.14", "93.184.215.15");
        failure(d.download("http://pair.test/a.png"), DownloadFailure.CONNECTION_FAILED);
        assertEquals(List.of("93.184.215.14", "93.184.215.15"),
                connector.refused().stream().map(h -> h.address().getHostAddress()).toList());
        assertEquals(1, dns.lookups("pair.test"));
    }

    @Test
    void dnsRebindingCannotMoveTheConnection() throws Exception {
        dns.rebind("rebind.test", "127.0.0.1", "10.0.0.1");
        ImageDownloader d = onlyImageServerAllowed();
        String url = "http://rebind.test:" + images.port() + "/img/moon.png";
        DownloadedImage image = await(d.download(url));
        assertArrayEquals(TestImageServer.image("moon.png"), image.bytes());
        assertEquals(1, dns.lookups("rebind.test"), "the name is resolved once, then the checked address is used");
        assertEquals("127.0.0.1", connector.attempts().get(0).address().getHostAddress());
        assertTrue(images.hostHeaders().contains("rebind.test:" + images.port()), images.hostHeaders().toString());
        // The next lookup answers a private address: refused, and no new connection attempt.
        failure(d.download(url), DownloadFailure.BLOCKED_ADDRESS);
        assertEquals(1, connector.attempts().size());
    }

    @Test
    void aNameAllowEntryDoesNotAllowTheAddressLiteral() throws Exception {
        ImageDownloader d = downloader(dns, "localhost:" + images.port());
        DownloadedImage image = await(d.download("http://localhost:" + images.port() + "/img/moon.png"));
        assertEquals("moon.png", image.finalUrl().getPath().substring(5));
        failure(d.download(images.url("/img/moon.png")), DownloadFailure.BLOCKED_ADDRESS);
        failure(d.download("http://localhost:" + canary.port() + "/img/moon.png"), DownloadFailure.BLOCKED_ADDRESS);
        assertEquals(1, connector.attempts().size());
    }

    @Test
    void theSystemResolverPathRefusesLocalhostToo() {
        ImageDownloader d = downloader(new SystemHostResolver(vertx), "127.0.0.1:" + images.port());
        failure(d.download("http://localhost:" + canary.port() + "/img/moon.png"), DownloadFailure.BLOCKED_ADDRESS);
        assertEquals(List.of(), connector.attempts());
    }

    @Test
    void anUnknownNameIsARetryableDnsFailure() {
        ImageDownloader d = onlyImageServerAllowed();
        DownloadException e = failure(d.download("http://no-such-name.test/a.png"), DownloadFailure.DNS_FAILURE);
        assertTrue(e.retryable());
        assertEquals(List.of(), connector.attempts());
    }

    @Test
    void forbiddenUrlFormsAreBadUrlsWithoutAConnectionAttempt() {
        ImageDownloader d = onlyImageServerAllowed();
        List<String> bad = new ArrayList<>(List.of(
                "ftp://127.0.0.1:" + images.port() + "/img/moon.png",
                "file:///etc/passwd",
                "gopher://127.0.0.1:" + canary.port() + "/_GET%20/",
                "http://user:pw@127.0.0.1:" + images.port() + "/img/moon.png",
                "http://127.0.0.1:" + images.port() + "@169.254.169.254/",
                "http://%31%32%37.0.0.1:" + canary.port() + "/",
                "not a url"));
        for (String url : bad) {
            DownloadException e = failure(d.download(url), DownloadFailure.BAD_URL);
            assertFalse(e.retryable(), url);
        }
        failure(d.download(redirectTo("file:///etc/passwd")), DownloadFailure.BAD_URL);
        failure(d.download(redirectTo("gopher://127.0.0.1:" + canary.port() + "/x")), DownloadFailure.BAD_URL);
        assertEquals(2, connector.attempts().size(), "only the two redirecting hops were sent");
    }
}
