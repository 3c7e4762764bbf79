package io.brandscan.pipeline.gather;

import io.brandscan.acquire.HostResolver;
import io.brandscan.acquire.UrlPolicy;
import io.brandscan.gather.Listing;
import io.brandscan.gather.ProviderRequest;
import io.brandscan.scan.BatchKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of gather: de-duplication, provider choice, message shapes, settings, the feed guard. */
class GatherPiecesTest {

    private static Listing listing(String url, String title) {
        return Listing.of(url, title, new BigDecimal("9.90"), "eur", "s", "https://img.example.com/a.jpg", Map.of());
    }

    @Test
    void listingsAreUniqueByCanonicalUrlAndTheFirstWins() {
        UniqueListings unique = UniqueListings.of(List.of(
                listing("https://shop.example.com/a?id=1", "first"),
                listing("HTTPS://SHOP.example.com:443/a?id=1#x", "same page"),
                listing("https://shop.example.com/a?id=2", "other item"),
                listing("https://shop.example.com/a?id=1", "exact repeat"),
                listing("http://shop.example.com/a?id=1", "http is another url")));
        assertEquals(3, unique.size());
        assertEquals(2, unique.duplicates());
        assertEquals(0, unique.unusable());
        assertEquals("first", unique.listings().get(0).title());
        assertEquals(List.of("https://shop.example.com/a?id=1", "https://shop.example.com/a?id=2",
                "http://shop.example.com/a?id=1"), unique.listings().stream().map(Listing::url).toList());
        Listing spelled = UniqueListings.of(List.of(listing("https://Shop.Example.com", "root"))).listings().get(0);
        assertEquals("https://shop.example.com/", spelled.url(), "kept listings carry the canonical url");
        assertEquals(0, UniqueListings.of(List.of()).size());
    }

    @Test
    void theProviderComesFromTheBrandSnapshot() {
        ProviderChoice feed = ProviderChoice.fromBrand(new JsonObject().put("name", "Acme").put("provider",
                new JsonObject().put("type", "json-feed").put("url", "http://127.0.0.1:8080/feed")), "c", "s");
        assertEquals("json-feed", feed.provider());
        assertEquals(URI.create("http://127.0.0.1:8080/feed"), feed.request().feedUrl());
        assertEquals("c", feed.request().clientId());

        ProviderRequest search = ProviderChoice.fromBrand(new JsonObject().put("name", "Acme").put("provider",
                new JsonObject().put("type", "scraperapi")), "c", "s").request();
        assertEquals("Acme", search.query(), "the query defaults to the brand's name");
        assertEquals("acme watch", ProviderChoice.fromBrand(new JsonObject().put("name", "Acme").put("provider",
                new JsonObject().put("type", "scraperapi").put("query", " acme watch ")), "c", "s").request().query());
        assertEquals("demo", ProviderChoice.fromBrand(new JsonObject().put("name", "Acme").put("provider",
                new JsonObject().put("type", "demo")), "c", "s").provider());
    }

    @Test
    void aBrandThatDoesNotSayWhereToLookIsRefusedByName() {
        assertTrue(refusal(null).contains("no brand snapshot"));
        assertTrue(refusal(new JsonObject().put("name", "Acme")).contains("brand.provider"));
        assertTrue(refusal(new JsonObject().put("provider", "json-feed")).contains("brand.provider"));
        assertTrue(refusal(new JsonObject().put("provider", new JsonObject())).contains("brand.provider.type"));
        assertTrue(refusal(new JsonObject().put("provider", new JsonObject().put("type", "json-feed")))
                .contains("brand.provider.url"));
        assertTrue(refusal(new JsonObject().put("provider", new JsonObject().put("type", "json-feed")
                .put("url", "/relative"))).contains("absolute"));
        assertTrue(refusal(new JsonObject().put("provider", new JsonObject().put("type", "json-feed")
                .put("url", "http://bad host/"))).contains("not a url"));
        assertTrue(refusal(new JsonObject().put("provider", new JsonObject().put("type", "scraperapi")))
                .contains("query"));
    }

    private static String refusal(JsonObject brand) {
        return assertThrows(IllegalArgumentException.class, () -> ProviderChoice.fromBrand(brand, "c", "s")).getMessage();
    }

    @Test
    void gatherMessagesFollowTheContractAndBadOnesAreRefused() {
        GatherMessage m = GatherMessage.parse("{\"client_id\":\"acme\",\"scan_id\":\"scan-1\"}");
        assertEquals(new GatherMessage("acme", "scan-1"), m);
        assertEquals(m, GatherMessage.parse(m.toBody()));
        for (String bad : new String[] {null, "", "[]", "not json", "{\"client_id\":\"acme\"}",
                "{\"client_id\":1,\"scan_id\":\"s\"}", "{\"client_id\":\"a/b\",\"scan_id\":\"s\"}"}) {
            assertThrows(IllegalArgumentException.class, () -> GatherMessage.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void urlJobsCarryExactlyTheContractFields() {
        Listing l = Listing.of("https://shop.example.com/x", "Title", null, null, null, "https://img.example.com/x.png",
                Map.of("asin", "B0001"));
        JsonObject job = UrlJobs.body(new BatchKey("acme", "scan-1", 2), l);
        assertEquals("acme/scan-1/2", job.getString("batch"));
        assertEquals("scan-1", job.getString("scan_id"));
        JsonObject listing = job.getJsonObject("listing");
        assertEquals(List.of("url", "title", "price", "currency", "seller", "image_url"), new ArrayList<>(listing.fieldNames()));
        assertNull(listing.getValue("price"));
        assertEquals(2, UrlJobs.bodies(new BatchKey("acme", "scan-1", 1), List.of(l, l)).size());
    }

    @Test
    void settingsHaveDefaultsAndRefuseBadValues() {
        GatherSettings d = GatherSettings.fromJson(null);
        assertEquals("gather", d.queue());
        assertEquals("acquire", d.urlQueue());
        assertEquals(3, d.maxAttempts());
        assertEquals(List.of(), d.allow());
        GatherSettings s = GatherSettings.fromJson(new JsonObject().put("allow", "127.0.0.1:8080, localhost:*")
                .put("registry_client", new JsonObject().put("port", 9999)));
        assertEquals(List.of("127.0.0.1:8080", "localhost:*"), s.allow());
        assertEquals(9999, s.registry().port());
        assertEquals(List.of("10.0.0.0/8"), GatherSettings.fromJson(new JsonObject()
                .put("allow", new JsonArray().add("10.0.0.0/8"))).allow());
        assertThrows(IllegalArgumentException.class, () -> GatherSettings.fromJson(new JsonObject().put("allow", "bad entry!")));
        assertThrows(IllegalArgumentException.class, () -> GatherSettings.fromJson(new JsonObject().put("allow", 5)));
        assertThrows(IllegalArgumentException.class, () -> GatherSettings.fromJson(new JsonObject().put("max_gather_attempts", 0)));
    }

    @Test
    void theVerticleTakesOnlyItsSlicesFromAGroupConfiguration() {
        JsonObject group = new JsonObject().put("gather", new JsonObject().put("max_gather_attempts", 4))
                .put("sqs", new JsonObject().put("wait_time_s", 1)).put("registry", new JsonObject().put("port", 1));
        JsonObject conf = GatherVerticle.configFrom(group);
        assertEquals(List.of("gather", "sqs", "mongo", "store", "limits"), new ArrayList<>(conf.fieldNames()));
        assertEquals(4, conf.getJsonObject("gather").getInteger("max_gather_attempts"));
        assertEquals(new JsonObject(), conf.getJsonObject("mongo"));
    }

    /** A resolver table that never leaves the process, counting lookups. */
    private static final class TableResolver implements HostResolver {
        final Map<String, String> table = new ConcurrentHashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public Future<List<InetAddress>> resolve(String host) {
            lookups.incrementAndGet();
            String address = table.get(host);
            if (address == null) {
                return Future.failedFuture(new UnknownHostException(host));
            }
            try {
                return Future.succeededFuture(List.of(InetAddress.getByName(address)));
            } catch (UnknownHostException e) {
                return Future.failedFuture(e);
            }
        }
    }

    @Test
    void theFeedGuardAppliesTheDownloadersPolicyAfterResolution() throws Exception {
        TableResolver resolver = new TableResolver();
        resolver.table.put("feeds.example.com", "93.184.216.34");
        resolver.table.put("rebound.example.com", "169.254.169.254");
        resolver.table.put("intranet.example.com", "10.0.0.1");
        PolicyFeedUrlGuard guard = new PolicyFeedUrlGuard(UrlPolicy.fromEntries(List.of("127.0.0.1:8080")), resolver);

        await(guard.check(URI.create("https://feeds.example.com/feed.json")));
        await(guard.check(URI.create("http://127.0.0.1:8080/feed")));
        assertTrue(refused(guard, "http://127.0.0.1:8081/feed").contains("loopback"));
        assertTrue(refused(guard, "http://rebound.example.com/feed").contains("169.254.169.254"));
        assertTrue(refused(guard, "http://intranet.example.com/feed").contains("10.0.0.1"));
        assertTrue(refused(guard, "http://[::1]:8080/feed").contains("loopback"));
        assertTrue(refused(guard, "http://nowhere.example.com/feed").contains("does not resolve"));
        assertTrue(refused(guard, "ftp://feeds.example.com/feed").contains("not a fetchable url"));
        int before = resolver.lookups.get();
        refused(guard, "http://10.1.2.3/feed");
        assertEquals(before, resolver.lookups.get(), "address literals are checked as written, never resolved");
    }

    private static String refused(PolicyFeedUrlGuard guard, String url) {
        Throwable e = assertThrows(Exception.class, () -> await(guard.check(URI.create(url))));
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return String.valueOf(cause.getMessage());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
