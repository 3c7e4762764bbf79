package io.brandscan.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code clients}, {@code api_keys} and {@code users} collections. Keys are stored as their
 * secret's SHA-256 ({@code secret_sha256}) and users with a PBKDF2 hash ({@code password_hash});
 * neither secret is ever stored or returned. Every lookup is a fresh read (no cache), so a revoked
 * key, a rotated secret or a deleted user stops working on the very next request. Every
 * client-scoped query filters by {@code client_id}: another client's key or user reads as missing.
 */
public final class Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
    static final String CLIENTS = "clients";
    static final String KEYS = "api_keys";
    static final String USERS = "users";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored key's owner and role, once its secret has matched. */
    public record KeyOwner(String keyId, String clientId, Role role) {
    }

    /** A stored user: id, client, email, role, password hash and, after repeated failures, when its lockout ends. */
    public record UserRecord(String id, String clientId, String email, Role role, String passwordHash, long lockedUntil) {
    }

    private final MongoClient mongo;
    private final Clock clock;

    public Accounts(MongoClient mongo, Clock clock) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Future<Void> createIndexes() {
        return Future.all(
                mongo.createIndex(KEYS, new JsonObject().put("client_id", 1).put("created_at", 1)),
                mongo.createIndexWithOptions(USERS, new JsonObject().put("client_id", 1).put("email", 1),
                        new IndexOptions().unique(true)),
                mongo.createIndex(USERS, new JsonObject().put("email", 1))).mapEmpty();
    }

    /** A new client with a random id and its first client-admin key; returns (client id, key). */
    public Future<JsonObject> createClient(String name, String wantedId) {
        String id = wantedId != null ? wantedId : "cl-" + randomHex(8);
        ApiKey key = ApiKey.generate();
        JsonObject client = new JsonObject().put("_id", id).put("name", name).put("created_at", clock.millis());
        return mongo.insert(CLIENTS, client)
                .recover(e -> Future.failedFuture(isDuplicate(e) ? ApiException.conflict("client id " + id + " is taken") : e))
                .compose(v -> insertKey(id, key, "initial admin key", Role.CLIENT_ADMIN))
                .map(v -> {
                    LOG.info("client created client_id={} key_id={}", id, key.keyId());
                    return new JsonObject().put("id", id).put("name", name).put("api_key", key.token())
                            .put("api_key_id", key.keyId());
                });
    }

    public Future<JsonObject> createKey(String clientId, String name, Role role) {
        ApiKey key = ApiKey.generate();
        return insertKey(clientId, key, name, role).map(v -> new JsonObject().put("id", key.keyId())
                .put("api_key", key.token()).put("name", name).put("role", role.wireName()));
    }

    private Future<Void> insertKey(String clientId, ApiKey key, String name, Role role) {
        JsonObject doc = new JsonObject().put("_id", key.keyId()).put("client_id", clientId)
                .put("secret_sha256", key.secretHash()).put("name", name).put("role", role.wireName())
                .put("created_at", clock.millis()).putNull("revoked_at");
        return mongo.insert(KEYS, doc).mapEmpty();
    }

    /** The owner of a presented key if its secret matches an unrevoked key (constant-time compare). */
    public Future<Optional<KeyOwner>> authenticateKey(ApiKey presented) {
        return mongo.findOne(KEYS, new JsonObject().put("_id", presented.keyId()), null).map(doc -> {
            if (doc == null || doc.getValue("revoked_at") != null || !presented.matches(doc.getString("secret_sha256"))) {
                return Optional.empty();
            }
            return Optional.of(new KeyOwner(presented.keyId(), doc.getString("client_id"), Role.fromWire(doc.getString("role"))));
        });
    }

    public Future<List<JsonObject>> listKeys(String clientId, int offset, int limit) {
        FindOptions options = new FindOptions().setSort(new JsonObject().put("created_at", 1).put("_id", 1))
                .setSkip(offset).setLimit(limit)
                .setFields(new JsonObject().put("secret_sha256", 0));
        return mongo.findWithOptions(KEYS, new JsonObject().put("client_id", clientId), options)
                .map(docs -> docs.stream().map(Accounts::keyView).toList());
    }

    /** Revokes the client's key now; false when it is missing, another client's or already revoked. */
    public Future<Boolean> revokeKey(String clientId, String keyId) {
        JsonObject query = new JsonObject().put("_id", keyId).put("client_id", clientId).putNull("revoked_at");
        JsonObject update = new JsonObject().put("$set", new JsonObject().put("revoked_at", clock.millis()));
        return mongo.updateCollection(KEYS, query, update).map(r -> r.getDocModified() == 1)
                .onSuccess(done -> {
                    if (done) {
                        LOG.info("api key revoked client_id={} key_id={}", clientId, keyId);
                    }
                });
    }

    /** A new secret for the client's unrevoked key; the old secret fails from now on. Empty when not found. */
    public Future<Optional<JsonObject>> rotateKey(String clientId, String keyId) {
        ApiKey key = new ApiKey(keyId, ApiKey.generate().secret());
        JsonObject query = new JsonObject().put("_id", keyId).put("client_id", clientId).putNull("revoked_at");
        JsonObject update = new JsonObject().put("$set", new JsonObject().put("secret_sha256", key.secretHash())
                .put("rotated_at", clock.millis()));
        return mongo.updateCollection(KEYS, query, update).map(r -> r.getDocMatched() == 1
                ? Optional.of(new JsonObject().put("id", keyId).put("api_key", key.token()))
                : Optional.<JsonObject>empty());
    }

    public Future<JsonObject> createUser(String clientId, String email, Role role, String passwordHash) {
        String id = "usr-" + randomHex(8);
        String folded = email.toLowerCase(Locale.ROOT);
        JsonObject doc = new JsonObject().put("_id", id).put("client_id", clientId).put("email", folded)
                .put("role", role.wireName()).put("password_hash", passwordHash).put("created_at", clock.millis());
        return mongo.count(USERS, new JsonObject().put("client_id", clientId).put("email", folded))
                .compose(n -> n > 0 ? Future.failedFuture(ApiException.conflict("a user with this email exists"))
                        : mongo.insert(USERS, doc))
                .recover(e -> Future.failedFuture(isDuplicate(e) ? ApiException.conflict("a user with this email exists") : e))
                .map(v -> userView(doc));
    }

    public Future<List<JsonObject>> listUsers(String clientId, int offset, int limit) {
        FindOptions options = new FindOptions().setSort(new JsonObject().put("created_at", 1).put("_id", 1))
                .setSkip(offset).setLimit(limit).setFields(new JsonObject().put("password_hash", 0));
        return mongo.findWithOptions(USERS, new JsonObject().put("client_id", clientId), options)
                .map(docs -> docs.stream().map(Accounts::userView).toList());
    }

    public Future<Boolean> deleteUser(String clientId, String userId) {
        return mongo.removeDocument(USERS, new JsonObject().put("_id", userId).put("client_id", clientId))
                .map(r -> r != null && r.getRemovedCount() == 1);
    }

    public Future<Optional<UserRecord>> user(String clientId, String userId) {
        return mongo.findOne(USERS, new JsonObject().put("_id", userId).put("client_id", clientId), null)
                .map(doc -> Optional.ofNullable(doc).map(Accounts::user));
    }

    /** Users with this email (in {@code clientId} when given), at most two: enough to tell "ambiguous". */
    public Future<List<UserRecord>> usersByEmail(String clientId, String email) {
        JsonObject query = new JsonObject().put("email", email.toLowerCase(Locale.ROOT));
        if (clientId != null) {
            query.put("client_id", clientId);
        }
        return mongo.findWithOptions(USERS, query, new FindOptions().setLimit(2))
                .map(docs -> docs.stream().map(Accounts::user).toList());
    }

    /**
     * Counts a wrong password ({@code failed_logins}, one atomic {@code $inc}); the
     * {@code maxFailures}-th in a row locks the account until now + {@code lockoutMs}
     * ({@code locked_until}), so a password cannot be guessed online at the KDF's pace.
     */
    public Future<Void> loginFailed(UserRecord user, int maxFailures, long lockoutMs) {
        JsonObject query = new JsonObject().put("_id", user.id()).put("client_id", user.clientId());
        return mongo.findOneAndUpdateWithOptions(USERS, query,
                        new JsonObject().put("$inc", new JsonObject().put("failed_logins", 1)),
                        new FindOptions().setFields(new JsonObject().put("failed_logins", 1)),
                        new io.vertx.ext.mongo.UpdateOptions().setReturningNewDocument(true))
                .compose(doc -> {
                    if (doc == null || doc.getInteger("failed_logins", 0) < maxFailures) {
                        return Future.succeededFuture();
                    }
                    LOG.warn("user locked out client_id={} user_id={} for_ms={}", user.clientId(), user.id(), lockoutMs);
                    return mongo.updateCollection(USERS, query, new JsonObject().put("$set", new JsonObject()
                            .put("locked_until", clock.millis() + lockoutMs).put("failed_logins", 0))).mapEmpty();
                });
    }

    /** A successful login clears the failure count. */
    public Future<Void> loginSucceeded(UserRecord user) {
        if (user.lockedUntil() == 0) {
            return mongo.updateCollection(USERS, new JsonObject().put("_id", user.id()).put("client_id", user.clientId())
                    .put("failed_logins", new JsonObject().put("$gt", 0)), new JsonObject().put("$set",
                    new JsonObject().put("failed_logins", 0))).mapEmpty();
        }
        return mongo.updateCollection(USERS, new JsonObject().put("_id", user.id()).put("client_id", user.clientId()),
                new JsonObject().put("$set", new JsonObject().put("failed_logins", 0).put("locked_until", 0L))).mapEmpty();
    }

    private static UserRecord user(JsonObject doc) {
        return new UserRecord(doc.getString("_id"), doc.getString("client_id"), doc.getString("email"),
                Role.fromWire(doc.getString("role")), doc.getString("password_hash"), doc.getLong("locked_until", 0L));
    }

    private static JsonObject keyView(JsonObject doc) {
        return new JsonObject().put("id", doc.getString("_id")).put("name", doc.getString("name"))
                .put("role", doc.getString("role")).put("created_at", doc.getLong("created_at"))
                .put("rotated_at", doc.getLong("rotated_at")).put("revoked_at", doc.getLong("revoked_at"))
                .put("revoked", doc.getValue("revoked_at") != null);
    }

    private static JsonObject userView(JsonObject doc) {
        return new JsonObject().put("id", doc.getString("_id")).put("email", doc.getString("email"))
                .put("role", doc.getString("role")).put("created_at", doc.getLong("created_at"));
    }

    static boolean isDuplicate(Throwable e) {
        String text = String.valueOf(e.getMessage());
        return text.contains("E11000") || text.contains("duplicate key");
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
