package io.brandscan.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a JSON array of plain numbers straight from UTF-8 bytes into floats: the fast path for
 * {@code result.embedding}, where turning 1280 decimal strings into floats dominated the cost of
 * a {@code /submit}. It accepts only the strict JSON number grammar separated by commas and
 * whitespace; anything else (and any number it cannot convert exactly) makes it give up, and the
 * caller falls back to the general parser, which also words the errors.
 *
 * <p>Digits are read eight at a time from one little-endian {@code long} (SWAR): one test finds
 * how many of the eight bytes are digits and three multiplications turn them into a number,
 * where a byte-by-byte loop spent about 2 ns per byte. (Finding each number's end first, so that
 * numbers could be parsed independently, measured slower on these machines: the extra work cost
 * more than the shorter chain of dependent loads saved.)
 *
 * <p>Results are exactly {@link Float#parseFloat}'s. Up to 18 significant digits are kept; a
 * number is converted through one correctly rounded float operation when its digits and power
 * of ten are exact floats, otherwise through one correctly rounded double operation (Clinger's
 * fast path, in float and in double precision), and
 * when digits had to be dropped (17-digit doubles, say) both the value cut down and the value one
 * unit above are converted and must give the same float. The rare number that lands on a float
 * rounding tie, a subnormal, an out-of-range value or an exponent beyond 10^22 goes through
 * {@code Float.parseFloat} instead.
 */
final class FloatArrayScanner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final double[] POW10 = new double[23];
    private static final long[] LONG_POW10 = new long[19];
    private static final long MAX_EXACT = 1L << 53;
    /** Powers of ten that are exact floats (5^10 < 2^24). */
    private static final float[] FLOAT_POW10 = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final long FLOAT_EXACT = 1L << 24;
    /** Below this, eight more digits still fit in 18 digits (no long overflow). */
    private static final long ROOM_FOR_EIGHT = 10_000_000_000L;
    /** Below this, one more digit still fits in 18 digits. */
    private static final long ROOM_FOR_ONE = 100_000_000_000_000_000L;
    private static final long ZEROS = 0x3030303030303030L;
    /** Floats a thread reads into before the exact-size copy; wider arrays grow privately. */
    private static final int SCRATCH_FLOATS = 4096;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[SCRATCH_FLOATS]);

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
        LONG_POW10[0] = 1;
        for (int i = 1; i < LONG_POW10.length; i++) {
            LONG_POW10[i] = LONG_POW10[i - 1] * 10;
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
        // Numbers go into this thread's scratch array first, and only the exact-size copy is
        // allocated: sizing a fresh array from the byte count over-allocated by about a third and
        // then copied anyway, 11.5 KB of garbage per 1,280-float submit instead of 5 KB.
        float[] out = SCRATCH.get();
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
                if (i >= end) {
                    return null;
                }
            }
            long significand = 0;
            int exponent = 0;
            boolean dropped = false;   // a nonzero digit did not fit in the significand
            byte c = b[i];
            if (c == '0') {
                i++;
            } else if (c >= '1' && c <= '9') {
                // Integer digits: eight at a time while they fit, then one by one; a digit that
                // does not fit scales the value up by ten instead.
                while (true) {
                    if (i + 8 <= end && significand < ROOM_FOR_EIGHT) {
                        long x = (long) LONGS.get(b, i) ^ ZEROS;
                        int k = digitCount(x);
                        significand = significand * LONG_POW10[k] + leadingDigits(x, k);
                        i += k;
                        if (k < 8) {
                            break;
                        }
                    } else if (i < end && isDigit(b[i])) {
                        if (significand < ROOM_FOR_ONE) {
                            significand = significand * 10 + (b[i] - '0');
                        } else {
                            dropped |= b[i] != '0';
                            exponent++;
                        }
                        i++;
                    } else {
                        break;
                    }
                }
            } else {
                return null;
            }
            if (i < end && b[i] == '.') {
                i++;
                int fractionStart = i;
                while (true) {
                    if (i + 8 <= end && significand < ROOM_FOR_EIGHT) {
                        long x = (long) LONGS.get(b, i) ^ ZEROS;
                        int k = digitCount(x);
                        significand = significand * LONG_POW10[k] + leadingDigits(x, k);
                        exponent -= k;
                        i += k;
                        if (k < 8) {
                            break;
                        }
                    } else if (i < end && isDigit(b[i])) {
                        if (significand < ROOM_FOR_ONE) {
                            significand = significand * 10 + (b[i] - '0');
                            exponent--;
                        } else {
                            dropped |= b[i] != '0';
                        }
                        i++;
                    } else {
                        break;
                    }
                }
                if (i == fractionStart) {
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
            float f = toFloat(significand, exponent, dropped, negative);
            if (Float.isNaN(f)) {
                f = Float.parseFloat(new String(b, start, i - start, StandardCharsets.US_ASCII));
            }
            if (!Float.isFinite(f)) {
                return null;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2); // past the scratch size: a private, growing array
            }
            out[n++] = f;
            if (i < end && b[i] == ',') {
                i++;
            } else {
                i = skipWhitespace(b, i, end);
                if (i >= end) {
                    return null;
                }
                if (b[i] == ']') {
                    return new Scan(Arrays.copyOf(out, n), i);
                }
                if (b[i] != ',') {
                    return null;
                }
                i++;
            }
            i = skipWhitespace(b, i, end);
        }
        return null;
    }

    /**
     * How many of the eight bytes, first byte first, are digits; {@code x} is the little-endian
     * word XOR '0', so a digit byte is 0..9. A byte of 10 or more gets its top bit set by adding
     * 0x76; a byte of 0x80 or more has it already. Carries only leave a byte that is already
     * flagged, so they can only disturb flags after the first one, which is all we read.
     */
    private static int digitCount(long x) {
        long flags = ((x + 0x7676767676767676L) | x) & 0x8080808080808080L;
        return Long.numberOfTrailingZeros(flags) >>> 3;
    }

    /** The value of the first {@code k} (0 to 8) digit bytes of {@code x}, as {@link #eightDigits}. */
    private static long leadingDigits(long x, int k) {
        // Shifting the digits to the top fills the low bytes, the leading digits, with zeros;
        // a shift by 64 would be a shift by 0 in Java, hence the two ends apart.
        return k == 8 ? eightDigits(x) : k == 0 ? 0 : eightDigits(x << ((8 - k) << 3));
    }

    /** The eight digits 0..9 in {@code x}'s bytes, the first (lowest) byte most significant. */
    private static long eightDigits(long x) {
        x = x * 10 + (x >>> 8);
        return (((x & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((x >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    /**
     * The exactly rounded float of {@code significand * 10^exponent} (plus something below one
     * unit of the significand when {@code dropped}), or NaN when this path cannot promise it.
     */
    private static float toFloat(long significand, int exponent, boolean dropped, boolean negative) {
        // Keep the significand exact in a double; digits cut off here only widen the bracket.
        while (significand > MAX_EXACT) {
            dropped |= significand % 10 != 0;
            significand /= 10;
            exponent++;
        }
        float f = fast(significand, exponent, negative);
        if (dropped && !Float.isNaN(f)) {
            // The true value lies strictly between significand and significand + 1 (times 10^e):
            // when both ends round to the same float, so does everything between them.
            float upper = fast(significand + 1, exponent, negative);
            if (Float.floatToRawIntBits(upper) != Float.floatToRawIntBits(f)) {
                return Float.NaN;
            }
        }
        return f;
    }

    /** The exactly rounded float, or NaN when this path cannot promise it. */
    private static float fast(long significand, int exponent, boolean negative) {
        if (significand <= FLOAT_EXACT && exponent >= -10 && exponent <= 10) {
            // Both operands are exact floats and float division (or multiplication) rounds
            // correctly: one rounding, no tie to worry about. Covers most embedding values.
            float f = exponent >= 0 ? significand * FLOAT_POW10[exponent] : significand / FLOAT_POW10[-exponent];
            return negative ? -f : f;
        }
        if (significand == 0) {
            return negative ? -0f : 0f;
        }
        if (exponent < -22 || exponent > 22) {
            return Float.NaN;
        }
        double d = exponent >= 0 ? significand * POW10[exponent] : significand / POW10[-exponent];
        if (significand > MAX_EXACT || d >= Float.MAX_VALUE || d < 2 * (double) Float.MIN_NORMAL) {
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
