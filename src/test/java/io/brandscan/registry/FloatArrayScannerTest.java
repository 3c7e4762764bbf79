package io.brandscan.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
}
