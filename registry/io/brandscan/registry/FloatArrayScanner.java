package io.brandscan.registry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a JSON array of plain numbers straight from UTF-8 bytes into floats: the fast path for
 * {@code result.embedding}, where turning 1280 decimal strings into floats dominated the cost of
 * a {@code /submit}. It accepts only the strict JSON number grammar separated by commas and
 * whitespace; anything else (and any number it cannot convert exactly) makes it give up, and the
 * caller falls back to the general parser, which also words the errors. Results are exactly
 * {@link Float#parseFloat}'s: a number is converted through one correctly rounded double
 * operation (Clinger's fast path), and the rare double that lands on a float rounding tie, a
 * subnormal or an out-of-range value goes through {@code Float.parseFloat} instead.
 */
final class FloatArrayScanner {
    private static final double[] POW10 = new double[23];
    private static final long MAX_EXACT = 1L << 53;

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** The floats read and the index of the array's closing bracket. */
    record Scan(float[] values, int closeBracket) { }

    private FloatArrayScanner() {
    }

    /**
     * Scans from {@code from} (just after the opening bracket) up to {@code end}; null when the
     * array is not a plain, finite number array the fast path can read exactly.
     */
    static Scan scan(byte[] b, int from, int end) {
        float[] out = new float[64];
        int n = 0;
        int i = skipWhitespace(b, from, end);
        if (i < end && b[i] == ']') {
            return new Scan(new float[0], i);
        }
        while (i < end) {
            int start = i;
            boolean negative = b[i] == '-';
            if (negative) {
                i++;
            }
            if (i >= end) {
                return null;
            }
            long significand = 0;
            int exponent = 0;
            boolean exact = true;
            if (b[i] == '0') {
                i++;
            } else if (b[i] >= '1' && b[i] <= '9') {
                while (i < end && isDigit(b[i])) {
                    if (significand < MAX_EXACT / 10) {
                        significand = significand * 10 + (b[i] - '0');
                    } else {
                        exact = false;
                    }
                    i++;
                }
            } else {
                return null;
            }
            if (i < end && b[i] == '.') {
                i++;
                int fractionDigits = 0;
                while (i < end && isDigit(b[i])) {
                    if (significand < MAX_EXACT / 10) {
                        significand = significand * 10 + (b[i] - '0');
                        exponent--;
                    } else {
                        exact = false;
                    }
                    fractionDigits++;
                    i++;
                }
                if (fractionDigits == 0) {
                    return null;
                }
            }
            if (i < end && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                boolean negativeExponent = false;
                if (i < end && (b[i] == '+' || b[i] == '-')) {
                    negativeExponent = b[i] == '-';
                    i++;
                }
                int digits = 0;
                int value = 0;
                while (i < end && isDigit(b[i])) {
                    value = value < 100_000 ? value * 10 + (b[i] - '0') : value;
                    digits++;
                    i++;
                }
                if (digits == 0) {
                    return null;
                }
                exponent += negativeExponent ? -value : value;
            }
            float f = exact ? fast(significand, exponent, negative) : Float.NaN;
            if (Float.isNaN(f)) {
                f = Float.parseFloat(new String(b, start, i - start, StandardCharsets.US_ASCII));
            }
            if (!Float.isFinite(f)) {
                return null;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = f;
            i = skipWhitespace(b, i, end);
            if (i >= end) {
                return null;
            }
            if (b[i] == ']') {
                return new Scan(n == out.length ? out : Arrays.copyOf(out, n), i);
            }
            if (b[i] != ',') {
                return null;
            }
            i = skipWhitespace(b, i + 1, end);
        }
        return null;
    }

    /** The exactly rounded float, or NaN when this path cannot promise it. */
    private static float fast(long significand, int exponent, boolean negative) {
        if (significand == 0) {
            return negative ? -0f : 0f;
        }
        if (exponent < -22 || exponent > 22) {
            return Float.NaN;
        }
        double d = exponent >= 0 ? significand * POW10[exponent] : significand / POW10[-exponent];
        if (significand >= MAX_EXACT || d >= Float.MAX_VALUE || d < 2 * (double) Float.MIN_NORMAL) {
            return Float.NaN;
        }
        // A double exactly on a tie between two floats may have been rounded there: let the
        // reference parser decide. Off a tie, rounding d to float rounds the exact value.
        if ((Double.doubleToRawLongBits(d) & 0x1FFFFFFFL) == 0x10000000L) {
            return Float.NaN;
        }
        float f = (float) d;
        return negative ? -f : f;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int skipWhitespace(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }
}
