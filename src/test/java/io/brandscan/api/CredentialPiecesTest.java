package io.brandscan.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure pieces: API keys, password hashes, CSV cells, admissions, brand validation. */
class CredentialPiecesTest {

    @Test
    void apiKeysAreRandomParseBackAndMatchOnlyTheirOwnHash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ApiKey key = ApiKey.generate();
            assertTrue(seen.add(key.token()));
            assertEquals(key, ApiKey.parse(key.token()).orElseThrow());
            assertTrue(key.matches(key.secretHash()));
            assertEquals(64, key.secretHash().length());
            assertFalse(key.toString().contains(key.secret()), "a key never logs its secret");
        }
        ApiKey key = ApiKey.generate();
        ApiKey rotated = key.rotated();
        assertEquals(key.keyId(), rotated.keyId());
        assertFalse(rotated.matches(key.secretHash()));
        assertFalse(key.matches(null));
        for (String bad : Arrays.asList(null, "", "bsk_", "bsk_xyz_abc", "bsk_0123456789abcdef_short",
                "bsk_0123456789ABCDEF_" + "A".repeat(43), "xsk_0123456789abcdef_" + "A".repeat(43))) {
            assertTrue(ApiKey.parse(bad).isEmpty(), String.valueOf(bad));
        }
    }

    @Test
    void passwordsHashWithASaltAndVerifyOnlyTheRightPassword() {
        PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
        String one = hasher.hash("correct horse battery staple");
        String two = hasher.hash("correct horse battery staple");
        assertNotEquals(one, two, "a salt per hash");
        assertTrue(one.startsWith("pbkdf2_sha256$210000$"));
        assertTrue(hasher.verify("correct horse battery staple", one));
        assertTrue(hasher.verify("correct horse battery staple", two));
        assertFalse(hasher.verify("correct horse battery stapler", one));
        assertFalse(hasher.verify("x", "not a hash"));
        assertFalse(hasher.verify("x", "pbkdf2_sha256$abc$$"));
        assertFalse(hasher.verify("x", null));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(1000));
    }

    @Test
    void csvCellsAreQuotedAndFormulasNeutralised() {
        assertEquals("\"a\",\"b \"\"quoted\"\"\",\"\",\"0.5\"\r\n", CsvCells.row(Arrays.asList("a", "b \"quoted\"", null, 0.5)));
        for (String formula : List.of("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx")) {
            assertEquals("\"'" + formula.replace("\"", "\"\"") + "\"", CsvCells.cell(formula), formula);
        }
        assertEquals("\"-0.5\"", CsvCells.cell(-0.5), "numbers we wrote ourselves are left alone");
        assertEquals("\"line\nbreak\"", CsvCells.cell("line\nbreak"), "newlines stay inside the quotes");
    }

    @Test
    void aRefusalRoundsRetryAfterUp() {
        assertEquals(2, Admission.refused("scans_per_day", "m", Duration.ofMillis(1001)).retryAfterSeconds());
        assertEquals(1, Admission.refused("scans_per_day", "m", Duration.ZERO).retryAfterSeconds());
        assertTrue(Admission.admitted().allowed());
        assertThrows(NullPointerException.class, () -> Admission.refused(null, "m", Duration.ZERO));
    }

    @Test
    void aBrandThePipelineCouldNotScanIsRefusedNamingTheField() {
        JsonObject good = ApiFixture.brand("Acme", "https://feed.example/x");
        assertEquals("Acme", BrandDocument.validate("c1", good, 20).getString("name"));
        ApiException ftp = assertThrows(ApiException.class, () -> BrandDocument.validate("c1",
                good.copy().put("provider", new JsonObject().put("type", "json-feed").put("url", "ftp://x/y")), 20));
        assertEquals("provider.url", ftp.field());
        ApiException text = assertThrows(ApiException.class, () -> BrandDocument.validate("c1",
                good.copy().put("names", new io.vertx.core.json.JsonArray().add(" ")).put("name", " "), 20));
        assertEquals("names", text.field());
        ApiException weights = assertThrows(ApiException.class, () -> BrandDocument.validate("c1",
                good.copy().put("weights", new JsonObject().put("image", 0).put("text", 0)), 20));
        assertTrue(weights.field().startsWith("weights."), weights.field());
        JsonObject demo = good.copy().put("provider", new JsonObject().put("type", "demo"));
        assertEquals("demo", BrandDocument.validate("c1", demo, 20).getJsonObject("provider").getString("type"));
    }
}
