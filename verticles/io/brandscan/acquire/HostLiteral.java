package io.brandscan.acquire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Reads the host part of a URL the way browsers and curl do (the WHATWG URL host parser), so an
 * address cannot hide behind an odd spelling: {@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1} and {@code 127.1} are all 127.0.0.1. A host whose last label is a number is an
 * IPv4 address (or invalid), never a name to hand to DNS, because a system resolver would read
 * it as an address anyway (inet_aton) and skip our checks' view of it.
 */
public final class HostLiteral {
    private HostLiteral() {
    }

    /**
     * The address a host spells, or null when the host is a name that must be resolved.
     *
     * @param host the host as written in the URL, IPv6 literals in brackets
     * @throws IllegalArgumentException when the host looks like an address but is not a valid one
     */
    public static InetAddress parse(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (host.startsWith("[")) {
            return parseIpv6(host);
        }
        if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("IPv6 address '" + host + "' must be written in brackets");
        }
        return parseIpv4(host);
    }

    private static InetAddress parseIpv6(String bracketed) {
        if (bracketed.length() < 4 || !bracketed.endsWith("]")) {
            throw new IllegalArgumentException("invalid IPv6 literal " + bracketed);
        }
        String inner = bracketed.substring(1, bracketed.length() - 1);
        // Zone ids (fe80::1%eth0) name an interface of this machine: never meaningful in a listing URL.
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("invalid character '" + c + "' in IPv6 literal " + bracketed);
            }
        }
        try {
            // With brackets the JDK only parses a literal and never performs a lookup.
            InetAddress parsed = InetAddress.getByName("[" + inner + "]");
            // Keep the IPv6 form (the JDK turns ::ffff:a.b.c.d into IPv4) so reasons name what was written.
            return parsed instanceof Inet6Address ? parsed : Inet6Address.getByAddress(null, ipv4Mapped(parsed.getAddress()), -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IPv6 literal " + bracketed);
        }
    }

    private static byte[] ipv4Mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }

    private static InetAddress parseIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        int count = parts.length;
        if (count > 1 && parts[count - 1].isEmpty()) {
            count--; // one trailing dot is allowed, as in a fully qualified name
        }
        if (count == 0 || !endsInNumber(parts[count - 1])) {
            return null;
        }
        if (count > 4) {
            throw new IllegalArgumentException("'" + host + "' ends in a number but has more than four parts");
        }
        long[] numbers = new long[count];
        for (int i = 0; i < count; i++) {
            if (parts[i].isEmpty()) {
                throw new IllegalArgumentException("empty part in IPv4 address '" + host + "'");
            }
            numbers[i] = number(parts[i], host);
        }
        for (int i = 0; i < count - 1; i++) {
            if (numbers[i] > 255) {
                throw new IllegalArgumentException("part " + parts[i] + " of '" + host + "' exceeds 255");
            }
        }
        long last = numbers[count - 1];
        if (last >= 1L << (8 * (5 - count))) {
            throw new IllegalArgumentException("last part of '" + host + "' is too large for an IPv4 address");
        }
        long value = last;
        for (int i = 0; i < count - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** WHATWG "ends in a number": all decimal digits, or a valid 0x hex number. */
    private static boolean endsInNumber(String last) {
        if (last.isEmpty()) {
            return false;
        }
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        try {
            number(last, last);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long number(String part, String host) {
        String digits = part;
        int radix = 10;
        String lower = part.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            digits = part.substring(2);
            radix = 16;
            if (digits.isEmpty()) {
                return 0; // "0x" alone is zero to the WHATWG parser
            }
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            digits = part.substring(1);
            radix = 8;
        }
        // Strip leading zeros so that a long run of them cannot overflow the length guard below.
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0') {
            start++;
        }
        digits = digits.substring(start);
        if (digits.length() > 12) {
            throw new IllegalArgumentException("number '" + part + "' in '" + host + "' is too large");
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0 || digits.charAt(i) > 'z') {
                throw new IllegalArgumentException("'" + part + "' is not a valid number in '" + host + "'");
            }
            value = value * radix + d;
        }
        return value;
    }
}
