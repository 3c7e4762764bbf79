package io.brandscan.api;

import io.brandscan.mongo.MongoConnection;
import io.brandscan.scan.ScanIds;
import io.brandscan.store.FindingDraft;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.brandscan.api.ApiFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Walks every path and method of the OpenAPI document (read from the jar, as served) three ways:
 * with no credential (401 unless the operation is public), with a viewer of client A on every
 * operation a viewer may not do (403), and with client A's admin against client B's resources:
 * 404 wherever a path or body names one of B's resources (exactly the answer for a missing one),
 * 403 for platform-admin-only operations, and collections that show nothing of B. Afterwards B's
 * resources are checked untouched. An operation added to the document without an entry here
 * fails the test.
 */
class ApiIsolationTest {
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private static ApiFixture api;
    private static JsonObject contract;
    private static String aAdmin;
    private static String aViewer;
    private static String bAdmin;
    private static String bClient;
    private static final Map<String, String> B = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("api_isolation_test", null);
        try (InputStream in = ApiIsolationTest.class.getClassLoader().getResourceAsStream(ApiVerticle.CONTRACT_RESOURCE)) {
            contract = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonObject a = api.newClient("Client A");
        aAdmin = a.getString("api_key");
        aViewer = api.newKey(aAdmin, "viewer");
        JsonObject b = api.newClient("Client B");
        bClient = b.getString("id");
        bAdmin = b.getString("api_key");

        assertEquals(201, api.http.put("/api/v1/brands/b-brand", bAdmin,
                ApiFixture.brand("Bravo", "https://feed.example/bravo")).status());
        B.put("brand_id", "b-brand");
        ApiHttp.Answer scan = api.http.post("/api/v1/scans", bAdmin, new JsonObject().put("brand_id", "b-brand"));
        assertEquals(202, scan.status(), scan.toString());
        B.put("scan_id", scan.json().getString("id"));
        ApiHttp.Answer user = api.http.post("/api/v1/users", bAdmin, new JsonObject().put("email", "bob@b.example")
                .put("password", "bob's long password").put("role", "analyst"));
        assertEquals(201, user.status());
        B.put("user_id", user.json().getString("id"));
        String bKey = api.newKey(bAdmin, "analyst");
        B.put("key_id", ApiKey.parse(bKey).orElseThrow().keyId());
        B.put("b_key", bKey);
        // A finding of B's scan, written as the AI phase writes it.
        ScanStore store = await(ScanStore.over(MongoConnection.client(api.vertx, api.conf.getJsonObject("mongo").copy()
                .put("pool_name", "isolation-store")), StoreSettings.DEFAULTS, api.clock));
        String url = "https://shop.example/item/1";
        await(store.findings().upsert(bClient, B.get("scan_id"), List.of(new FindingDraft(url, 0.9,
                new JsonObject().put("probability", 0.9), new JsonObject().put("title", "Bravo shoes").put("seller", "s1")))));
        B.put("finding_id", ScanIds.finding(bClient, B.get("scan_id"), url));
        // An uploaded reference of B's brand, as ReferenceUploads stores it.
        String sha = "ab".repeat(32);
        await(api.mongo.insert("reference_images", new JsonObject().put("_id", bClient + "/b-brand/" + sha)
                .put("client_id", bClient).put("brand_id", "b-brand").put("sha256", sha).put("s3_path", "s3://x/y")));
        await(api.mongo.updateCollection("brands", new JsonObject().put("_id", bClient + "/b-brand"), new JsonObject()
                .put("$push", new JsonObject().put("reference_uploads", new JsonObject().put("id", sha).put("s3_path", "s3://x/y")))));
        B.put("image_id", sha);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    /** One operation of the document. */
    record Operation(String id, HttpMethod method, String path, JsonObject spec) {
        boolean open() {
            return spec.getJsonArray("security") != null && spec.getJsonArray("security").isEmpty();
        }

        Set<String> roles() {
            return Set.copyOf(spec.getJsonArray("x-brandscan-roles", new JsonArray()).getList());
        }

        List<String> params() {
            List<String> names = new ArrayList<>();
            Matcher m = PARAM.matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        String against(Map<String, String> ids) {
            String p = path;
            for (String name : params()) {
                p = p.replace("{" + name + "}", ids.getOrDefault(name, "unknown-" + name));
            }
            return p;
        }
    }

    private static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        JsonObject paths = contract.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                JsonObject spec = item.getJsonObject(method);
                ops.add(new Operation(spec.getString("operationId"), HttpMethod.valueOf(method.toUpperCase()), path, spec));
            }
        }
        assertTrue(ops.size() >= 20, "the document lists the API's operations");
        return ops;
    }

    /** A body that passes validation, so the answer is about the resource and not the request. */
    private static Buffer body(String operationId) {
        JsonObject body = switch (operationId) {
            case "login" -> new JsonObject().put("email", "bob@b.example").put("password", "wrong");
            case "createClient" -> new JsonObject().put("name", "Mallory");
            case "createUser" -> new JsonObject().put("email", "eve@a.example").put("password", "eve's long password")
                    .put("role", "viewer");
            case "createApiKey" -> new JsonObject().put("name", "a key").put("role", "viewer");
            case "putBrand" -> ApiFixture.brand("Alpha", "https://feed.example/alpha");
            case "startScan" -> new JsonObject().put("brand_id", B.get("brand_id"));
            case "reviewFinding" -> new JsonObject().put("decision", "confirmed").put("note", "not mine");
            case "uploadReferenceImage" -> null;
            default -> null;
        };
        return body == null ? null : body.toBuffer();
    }

    private static ApiHttp.Answer call(Operation op, String token, String path) {
        Buffer body = body(op.id());
        return api.http.send(op.method(), path, token, body, body == null ? null : "application/json");
    }

    @Test
    void everyOperationRefusesAMissingCredential() {
        for (Operation op : operations()) {
            ApiHttp.Answer answer = call(op, null, op.against(B));
            if (op.open()) {
                assertFalse(answer.status() == 401 && op.id().equals("getOpenApi"), op.id());
                continue;
            }
            assertEquals(401, answer.status(), op.id() + " without a credential: " + answer);
            assertEquals("unauthorized", answer.error(), op.id());
        }
    }

    @Test
    void aViewerIsRefusedEveryWrite() {
        int writes = 0;
        for (Operation op : operations()) {
            if (op.open()) {
                continue;
            }
            boolean write = op.method() != HttpMethod.GET;
            if (write) {
                writes++;
                assertFalse(op.roles().contains("viewer"), op.id() + " is a write a viewer must not do");
            }
            if (!op.roles().contains("viewer")) {
                ApiHttp.Answer answer = call(op, aViewer, op.against(B));
                assertEquals(403, answer.status(), op.id() + " as a viewer: " + answer);
                assertEquals("forbidden", answer.error(), op.id());
            }
        }
        assertTrue(writes >= 10, "the walk saw the write operations");
    }

    @Test
    void clientAGetsNothingOfClientB() throws Exception {
        Set<String> covered = new java.util.HashSet<>();
        // A's PUT on B's brand id makes A's own brand of that id, so it goes last: the reads of
        // that id before it must find nothing.
        List<Operation> walk = new ArrayList<>(operations());
        walk.sort(java.util.Comparator.comparing(op -> op.id().equals("putBrand")));
        for (Operation op : walk) {
            if (op.open()) {
                covered.add(op.id());
                continue;
            }
            ApiHttp.Answer answer = call(op, aAdmin, op.against(B));
            String text = answer.body().toString();
            for (Map.Entry<String, String> b : B.entrySet()) {
                if (!b.getKey().equals("brand_id") || !op.id().equals("putBrand")) {
                    assertFalse(text.contains(b.getValue()), op.id() + " leaked B's " + b.getKey() + ": " + text);
                }
            }
            assertFalse(text.contains(bClient), op.id() + " leaked B's client id: " + text);
            switch (op.id()) {
                case "createClient", "registryBatches" -> assertEquals(403, answer.status(), op.id() + ": " + answer);
                case "putBrand" -> assertEquals(201, answer.status(), "A's PUT makes A's own brand of that name: " + answer);
                case "createUser", "createApiKey" -> assertEquals(201, answer.status(), op.id() + ": " + answer);
                case "listUsers", "listApiKeys", "listBrands", "listScans" -> assertEquals(200, answer.status(), op.id());
                default -> {
                    assertEquals(404, answer.status(), op.id() + " on B's resource: " + answer);
                    assertEquals("not_found", answer.error(), op.id());
                }
            }
            covered.add(op.id());
        }
        for (Operation op : operations()) {
            if (!covered.contains(op.id())) {
                fail("operation " + op.id() + " was not walked");
            }
        }
        // Nothing of B changed: its key, user, brand, scan and finding are as they were.
        assertEquals(200, api.http.get("/api/v1/scans", B.get("b_key")).status(), "B's key still works");
        assertEquals(1, api.http.get("/api/v1/users", bAdmin).items().size());
        JsonObject brand = api.http.get("/api/v1/brands/b-brand", bAdmin).json();
        assertEquals("Bravo", brand.getString("name"));
        assertEquals(1, brand.getJsonArray("reference_uploads").size(), "B's uploaded reference is still there");
        assertEquals(1L, await(api.mongo.count("reference_images", new JsonObject().put("client_id", bClient))));
        assertEquals("queued", api.http.get("/api/v1/scans/" + B.get("scan_id"), bAdmin).json().getString("state"));
        JsonObject finding = api.http.get("/api/v1/findings/" + B.get("finding_id"), bAdmin).json();
        assertEquals("open", finding.getString("review_status"));
        assertEquals(0, finding.getJsonArray("reviews").size());
        assertEquals("Alpha", api.http.get("/api/v1/brands/b-brand", aAdmin).json().getString("name"),
                "A's brand of the same name is A's own");
    }
}
