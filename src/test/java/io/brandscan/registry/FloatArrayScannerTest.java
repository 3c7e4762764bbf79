package io.brandscan.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatArrayScannerTest {
    private static FloatArrayScanner.Scan scan(String array) {
        byte[] bytes = array.getBytes(StandardCharsets.UTF_8);
        return FloatArrayScanner.scan(bytes, array.indexOf('[') + 1, bytes.length);
    }

    @Test
    void everyNumberIsExactlyWhatFloatParseFloatGives() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            switch (i % 5) {
                case 0 -> texts.add(Float.toString(f));
                case 1 -> texts.add(Double.toString(f));                         // 17-digit repr of a float
                case 2 -> texts.add(Double.toString(random.nextGaussian() * 0.05)); // embedding-like doubles
                case 3 -> texts.add(String.format(java.util.Locale.ROOT, "%.9f", random.nextGaussian()));
                default -> texts.add(random.nextInt(2_000_000) - 1_000_000 + "e" + (random.nextInt(60) - 30));
            }
        }
        texts.addAll(List.of("0", "-0", "0.0", "1", "-1", "1e0", "1E+2", "2.5e-3", "16777217", "3.4028235e38",
                "1.1754944e-38", "1.4e-45", "0.1", "0.30000000000000004", "123456789012345678901234567890",
                "0.000000000000000000000000000001", "9007199254740993", "0.33333334326744080"));
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < texts.size(); i++) {
            array.append(i == 0 ? "" : (i % 3 == 0 ? " ,\n\t" : ",")).append(texts.get(i));
        }
        array.append(" ]");
        FloatArrayScanner.Scan scan = scan(array.toString());
        assertNotNull(scan);
        assertEquals(texts.size(), scan.values().length);
        for (int i = 0; i < texts.size(); i++) {
            float expected = Float.parseFloat(texts.get(i));
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scan.values()[i]), texts.get(i));
        }
        assertEquals(array.length() - 1, scan.closeBracket());
    }

    @Test
    void emptyArraysAndWhitespaceAreFine() {
        assertArrayEquals(new float[0], scan("[]").values());
        assertArrayEquals(new float[0], scan("[ \n ]").values());
        assertArrayEquals(new float[] {1f, -2.5f}, scan("[ 1 , -2.5 ]").values());
    }

    @Test
    void anythingOutsideThePlainNumberGrammarIsLeftToTheGeneralParser() {
        for (String bad : List.of("[1,]", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]", "[1 2]", "[\"a\"]", "[NaN]",
                "[1e400]", "[-1e39]", "[true]", "[null]", "[[1]]", "[1", "[1,2", "[0x1]", "[1.5e+]", "[--1]")) {
            assertNull(scan(bad), bad);
        }
    }

    @Test
    void theSubmitParserGivesTheSameResultAndLeavesItsInputAlone() {
        String body = "{\"brand\":\"b\",\"result\":{\"s3_path\":\"s3://x\",\"embedding\":[0.1, -2e-3, 7],\"url\":\"u\"}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SubmitBodyParser.Submit fast = SubmitBodyParser.parse(bytes);
        assertEquals(body, new String(bytes, StandardCharsets.UTF_8), "the caller's array is untouched");
        assertArrayEquals(new float[] {0.1f, -0.002f, 7f}, fast.result().embedding());
        assertEquals("\"s3_path\":\"s3://x\"", fast.result().otherMembersJson());
        // Other spellings of the same numbers give the same floats.
        SubmitBodyParser.Submit respelled = SubmitBodyParser.parse(
                "{\"brand\":\"b\",\"result\":{\"embedding\":[0.1,-2e-3,7.0E0],\"url\":\"u\"}}".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(fast.result().embedding(), respelled.result().embedding());
    }

    /** Each text is read alone and in the middle of an array, and must give parseFloat's bits. */
    @Test
    void arraysWiderThanTheScratchAreReadWholeAndNoResultSharesTheScratch() {
        Random rng = new Random(17);
        StringBuilder wide = new StringBuilder("[");
        List<Float> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            float f = (float) (rng.nextGaussian() * 3);
            expected.add(f);
            wide.append(i == 0 ? "" : ",").append(f);
        }
        FloatArrayScanner.Scan big = scan(wide.append("]").toString());
        assertNotNull(big);
        assertEquals(10_000, big.values().length);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), big.values()[i], "element " + i);
        }
        // Two scans on one thread: the first result must not change when the scratch is reused.
        float[] first = scan("[1.5,2.5,3.5]").values();
        float[] second = scan("[9.0,8.0,7.0,6.0]").values();
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, first);
        assertArrayEquals(new float[] {9f, 8f, 7f, 6f}, second);
    }

    private static void assertSameAsParseFloat(List<String> texts, String separator) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < texts.size(); i++) {
            array.append(i == 0 ? "" : separator).append(texts.get(i));
        }
        // Trailing members as in a submit body, so the eight-byte reads have room past the array.
        array.append("],\"s3_path\":\"s3://bucket/key\"}}");
        FloatArrayScanner.Scan scan = scan(array.toString());
        assertNotNull(scan, "a plain number array");
        assertEquals(texts.size(), scan.values().length);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(texts.get(i))), Float.floatToRawIntBits(scan.values()[i]),
                    texts.get(i));
        }
        assertEquals(']', array.charAt(scan.closeBracket()));
        for (String text : texts) {   // alone, with the array's end right after it (the byte-by-byte tail)
            FloatArrayScanner.Scan one = scan("[" + text + "]");
            assertNotNull(one, text);
            assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)), Float.floatToRawIntBits(one.values()[0]), text);
        }
    }

    @Test
    void edgeCasesGiveParseFloatsBits() {
        assertSameAsParseFloat(List.of(
                // zeros and signs
                "0", "-0", "0.0", "-0.0", "-0.00000000", "0e0", "-0E+12", "0.000000000000000000000000000000000",
                // 8 digits exactly, 9+ digits and long runs of digits on both sides of the point
                "12345678", "-12345678", "0.12345678", "-0.123456789", "0.0123456789", "1.23456789", "12345678.9",
                "123456789", "98765432109876", "0.1234567890123456", "-0.12345678901234567", "0.30000000000000004",
                "3.4028234663852886e38", "1.00000000000000000000000000001", "9999999999999999999999", "16777217",
                "16777216.5", "16777217.000000000000000001", "33554431", "0.999999999999999999999999999",
                // exponents: both cases, signs, large and small, many exponent digits
                "1e10", "1E10", "1e+10", "1e-10", "-2.5e-3", "7.0E0", "1.2345678E-4", "-9.87654321E-7", "5e22", "5e23",
                "1e-22", "1e-23", "1e38", "3.4028235e38", "-3.4028235e38", "1e-45", "1.17549435E-38", "1e-000000000000007",
                "123456789e-20", "0.000001e7",
                // subnormals and the smallest float
                "1.4e-45", "-1.4e-45", "1.401298464324817e-45", "7e-46", "1.1754942E-38", "5.877472E-39", "2.3509887e-38",
                // float rounding ties (the fallback decides)
                "16777217", "1.00000005960464477539062500", "0.500000029802322387695312500", "33554435", "-16777219",
                // numbers a byte-by-byte path would cross word boundaries on
                "1", "12", "123", "1234567", "-1234567", "0.1", "-0.1", "0.5", "10.25", "-100.125"), ",");
    }

    @Test
    void embeddingsAsProducersWriteThemAreExact() {
        Random random = new Random(11);
        List<String> javaFloats = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> pythonDoubles = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            float f = (float) (random.nextGaussian() * 0.05);
            javaFloats.add(Float.toString(f));                                     // Jackson writing float[]
            fixed.add(String.format(Locale.ROOT, "%.7f", random.nextDouble() * 2 - 1)); // the bench's format
            pythonDoubles.add(Double.toString((double) f));                        // float32 widened, 17 digits
        }
        assertSameAsParseFloat(javaFloats, ",");
        assertSameAsParseFloat(fixed, ",");
        assertSameAsParseFloat(pythonDoubles, ", ");   // json.dumps separators
        assertSameAsParseFloat(javaFloats.subList(0, 500), " ,\n\t");
    }

    @Test
    void badNumbersNearTheEndOfTheBodyAreStillRefused() {
        // Bodies that end right after the array exercise the byte-by-byte tail; these must not
        // be read as numbers however few bytes remain.
        for (String bad : List.of("[1.", "[-", "[0", "[1e", "[1e+", "[12345678", "[-0.5", "[0.5 ", "[1,", "[1 ,")) {
            assertNull(scan(bad), bad);
        }
    }

    private static String messageOf(byte[] body, boolean fast) {
        try {
            SubmitBodyParser.Submit s = fast ? SubmitBodyParser.parse(body) : SubmitBodyParser.parseGeneral(body.clone());
            return "ok " + s.brand() + " " + s.result().url() + " " + Arrays.toString(s.result().embedding()) + " "
                    + s.result().otherMembersJson();
        } catch (RegistryException e) {
            return e.error() + ": " + e.getMessage();
        }
    }

    @Test
    void cuttingTheEmbeddingOutChangesNoAnswerAndNoRefusal() {
        String good = "{\"brand\":\"b\",\"result\":{\"url\":\"https://m.example/1\",\"embedding\":[0.25,-0.125,"
                + "1.5e-3,0.1234567,-0.0078125],\"s3_path\":\"s3://x/y\",\"w\":[1,{\"a\":null}]},\"extra\":true}";
        List<String> bodies = new ArrayList<>(List.of(
                good,
                good + " \n",
                good + " trailing",
                good + "}",
                good + "{}",
                good.substring(0, good.length() - 1),                       // the root object never closes
                good.substring(0, good.indexOf("]") + 1),                    // ends right after the array
                good.replace("\"url\":\"https://m.example/1\",", "") ,    // url missing, noticed after the cut
                good.replace("\"s3_path\"", "\"embedding\""),             // a second embedding
                good.replace("\"s3_path\":\"s3://x/y\"", "\"s3_path\":\"s3://x/y"),  // unterminated string after the cut
                good.replace(",\"extra\":true", ",\"extra\":tru"),
                good.replace("\"brand\":\"b\",", "") + "\n\n  x"));
        // Every single-byte deletion and a few thousand random byte changes of the good body.
        for (int i = 0; i < good.length(); i++) {
            bodies.add(good.substring(0, i) + good.substring(i + 1));
        }
        Random random = new Random(5);
        String alphabet = "{}[],:\" 0123456789.-eE+tnx\n";
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder(good);
            int at = random.nextInt(b.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (random.nextBoolean()) {
                b.setCharAt(at, c);
            } else {
                b.insert(at, c);
            }
            bodies.add(b.toString());
        }
        int refused = 0;
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String general = messageOf(bytes, false);
            assertEquals(general, messageOf(bytes, true), body);
            assertEquals(body, new String(bytes, StandardCharsets.UTF_8), "parse leaves the caller's bytes alone");
            refused += general.startsWith("ok") ? 0 : 1;
        }
        assertTrue(refused > 1000, "the mutations mostly broke the body: " + refused);
        assertTrue(messageOf((good + " trailing").getBytes(StandardCharsets.UTF_8), true).contains("line 1, column"));
    }

    @Test
    void parseOwnedMayRearrangeItsArrayButAnswersTheSame() {
        String body = "{\"brand\":\"b\",\"result\":{\"url\":\"u\",\"embedding\":[0.5,-0.25],\"k\":\"v\"}}";
        SubmitBodyParser.Submit owned = SubmitBodyParser.parseOwned(body.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new float[] {0.5f, -0.25f}, owned.result().embedding());
        assertEquals("\"k\":\"v\"", owned.result().otherMembersJson());
        RegistryException refused = assertThrows(RegistryException.class,
                () -> SubmitBodyParser.parseOwned((body + "]").getBytes(StandardCharsets.UTF_8)));
        assertEquals(RegistryError.MALFORMED_JSON, refused.error());
    }
}
