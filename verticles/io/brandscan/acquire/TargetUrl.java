package io.brandscan.acquire;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One URL the downloader may fetch, taken apart once so that the policy check and the connection
 * read the same host and port. Parsing is strict: only http and https, no userinfo, no
 * percent-encoded or zone-qualified hosts, ports 1 to 65535.
 *
 * @param uri        the URL as given (what hop lists and messages show)
 * @param tls        true for https
 * @param host       the host name, lower case, without a trailing dot or IPv6 brackets;
 *                   for an address literal, its canonical text
 * @param literal    the address the host spells when it is an address literal, else null
 * @param port       the effective port (80 / 443 when none is written)
 * @param requestUri the path and query to send, "/" when the URL has no path
 */
public record TargetUrl(URI uri, boolean tls, String host, InetAddress literal, int port, String requestUri) {
    /** Longer URLs are refused: no image URL needs them, and they bloat logs and messages. */
    public static final int MAX_LENGTH = 8192;

    /** The name to send in the Host header and in TLS SNI: the host as the URL's author meant it. */
    public String hostHeader() {
        String h = literal != null && literal.getAddress().length == 16 ? "[" + host + "]" : host;
        return port == (tls ? 443 : 80) ? h : h + ":" + port;
    }

    /** True when the host is a name that has to be resolved. */
    public boolean needsResolution() {
        return literal == null;
    }

    /**
     * Parses an absolute http(s) URL.
     *
     * @throws IllegalArgumentException with a readable reason when the URL may not be fetched as written
     */
    public static TargetUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty URL");
        }
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("URL longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("scheme " + (scheme == null ? "(none)" : "'" + scheme + "'")
                    + " is not allowed; only http and https are");
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("URL has no '//' authority");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("URL has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("URLs with user info ('user@host') are not allowed");
        }
        // java.net.URI leaves getHost() null for spellings like 0x7f.1 or 2130706433, so read the
        // authority ourselves rather than trust whichever of its two grammars matched.
        String hostPart;
        String portPart = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 literal in " + authority);
            }
            hostPart = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected text after IPv6 literal: " + rest);
                }
                portPart = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            hostPart = colon < 0 ? authority : authority.substring(0, colon);
            portPart = colon < 0 ? null : authority.substring(colon + 1);
        }
        boolean tls = "https".equals(scheme);
        int port = port(portPart, tls);
        if (hostPart.indexOf('%') >= 0) {
            throw new IllegalArgumentException("percent-encoded or zone-qualified hosts are not allowed: " + hostPart);
        }
        InetAddress literal = HostLiteral.parse(hostPart);
        String host = literal != null ? canonical(literal) : hostName(hostPart);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new TargetUrl(uri, tls, host, literal, port, requestUri);
    }

    private static int port(String text, boolean tls) {
        if (text == null || text.isEmpty()) {
            return tls ? 443 : 80;
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid port '" + text + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        return port;
    }

    private static String hostName(String raw) {
        String name;
        try {
            name = IDN.toASCII(raw, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid host name '" + raw + "'");
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.length() > 253 || name.startsWith(".") || name.contains("..")) {
            throw new IllegalArgumentException("invalid host name '" + raw + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                throw new IllegalArgumentException("invalid character '" + c + "' in host name '" + raw + "'");
            }
        }
        return name;
    }

    /** Canonical text of an address: dotted quad, or compressed IPv6 without brackets. */
    static String canonical(InetAddress address) {
        String text = address.getHostAddress();
        if (address.getAddress().length == 16) {
            byte[] b = address.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            return compress(b);
        }
        return text;
    }

    private static String compress(byte[] b) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(words[i]));
        }
        return out.toString();
    }
}
