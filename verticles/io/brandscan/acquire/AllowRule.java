package io.brandscan.acquire;

import java.net.InetAddress;
import java.util.Locale;

/**
 * One allowlist entry: a host name, an address or a CIDR block, with a port or any port. It lets
 * a URL reach an address the {@link UrlPolicy} would otherwise refuse (the demo marketplace and
 * the tests live on loopback).
 *
 * <p>Entry syntax: {@code 127.0.0.1:8080}, {@code localhost:*}, {@code images.internal} (any
 * port), {@code [::1]:9000}, {@code 10.1.0.0/16} and {@code fd00::/8} (CIDR, any port). A name
 * entry matches the URL's host name as written (so every address that name resolves to is
 * allowed); an address or CIDR entry matches each resolved address on its own.
 *
 * @param name      the host name for a name entry, else null
 * @param network   the network address for an address or CIDR entry, else null
 * @param prefixBits how many leading bits of {@code network} must match (32 / 128 for one address)
 * @param port      the port, or {@link #ANY_PORT}
 */
public record AllowRule(String text, String name, InetAddress network, int prefixBits, int port) {
    public static final int ANY_PORT = -1;

    /** Parses one entry; throws IllegalArgumentException naming the entry when it is malformed. */
    public static AllowRule parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("empty allow entry");
        }
        String text = entry.strip();
        try {
            int slash = text.indexOf('/');
            if (slash >= 0) {
                return cidr(text, slash);
            }
            String hostPart = text;
            int port = ANY_PORT;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated '['");
                }
                hostPart = text.substring(0, close + 1);
                String rest = text.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new IllegalArgumentException("expected ':port' after ']'");
                    }
                    port = port(rest.substring(1));
                }
            } else if (text.indexOf(':') >= 0) {
                if (text.indexOf(':') != text.lastIndexOf(':')) {
                    throw new IllegalArgumentException("write IPv6 addresses in brackets, e.g. [::1]:9000");
                }
                int colon = text.indexOf(':');
                hostPart = text.substring(0, colon);
                port = port(text.substring(colon + 1));
            }
            InetAddress literal = HostLiteral.parse(hostPart);
            if (literal != null) {
                return new AllowRule(text, null, literal, literal.getAddress().length * 8, port);
            }
            String name = hostPart.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                throw new IllegalArgumentException("not a host name");
            }
            return new AllowRule(text, name, null, 0, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid allow entry '" + text + "': " + e.getMessage());
        }
    }

    private static AllowRule cidr(String text, int slash) {
        String addressPart = text.substring(0, slash);
        String bitsPart = text.substring(slash + 1);
        InetAddress network = HostLiteral.parse(addressPart.contains(":") && !addressPart.startsWith("[")
                ? "[" + addressPart + "]" : addressPart);
        if (network == null) {
            throw new IllegalArgumentException("a CIDR block needs an address before '/'");
        }
        if (bitsPart.isEmpty() || bitsPart.length() > 3 || !bitsPart.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid prefix length '" + bitsPart + "'");
        }
        int bits = Integer.parseInt(bitsPart);
        if (bits > network.getAddress().length * 8) {
            throw new IllegalArgumentException("prefix length " + bits + " is too long for " + addressPart);
        }
        return new AllowRule(text, null, network, bits, ANY_PORT);
    }

    private static int port(String text) {
        if ("*".equals(text)) {
            return ANY_PORT;
        }
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid port '" + text + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        return port;
    }

    /** True when this entry lets {@code url} reach {@code address}. */
    public boolean permits(TargetUrl url, InetAddress address) {
        if (port != ANY_PORT && port != url.port()) {
            return false;
        }
        if (name != null) {
            return url.literal() == null && name.equals(url.host());
        }
        return contains(address);
    }

    private boolean contains(InetAddress address) {
        byte[] want = comparable(network.getAddress());
        byte[] have = comparable(address.getAddress());
        if (want.length != have.length) {
            return false;
        }
        // A mapped entry such as [::ffff:10.0.0.0]/104 compares in IPv4 terms, so drop the 96-bit prefix.
        int bits = want.length < network.getAddress().length ? Math.max(0, prefixBits - 96) : prefixBits;
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (want[i] != have[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (want[full] & mask) == (have[full] & mask);
    }

    /** IPv4-mapped IPv6 addresses compare as the IPv4 address they carry. */
    private static byte[] comparable(byte[] b) {
        if (b.length == 16) {
            boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                return new byte[] {b[12], b[13], b[14], b[15]};
            }
        }
        return b;
    }
}
