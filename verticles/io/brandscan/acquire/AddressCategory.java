package io.brandscan.acquire;

import java.net.InetAddress;

/**
 * What kind of network an address belongs to, as far as fetching an untrusted image is concerned.
 * Only {@link #PUBLIC} addresses may be fetched without an allowlist entry; every other category
 * reaches this machine, its private networks, its cloud metadata service, or nothing useful.
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) take the category of the IPv4 address inside.
 * The deprecated IPv4-compatible form {@code ::a.b.c.d}, Teredo and the rest of the IETF
 * protocol block {@code 2001::/23} are refused outright, as is any IPv6 address outside the
 * global unicast block {@code 2000::/3}.
 */
public enum AddressCategory {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    PRIVATE("private (RFC 1918 / local-use NAT64)"),
    LINK_LOCAL("link-local (incl. the 169.254.169.254 metadata service)"),
    MULTICAST("multicast"),
    UNSPECIFIED("unspecified / this network"),
    BROADCAST("broadcast"),
    CGNAT("carrier-grade NAT shared space"),
    UNIQUE_LOCAL("IPv6 unique-local"),
    SITE_LOCAL("IPv6 site-local"),
    DOCUMENTATION("documentation range"),
    BENCHMARK("benchmarking range"),
    RESERVED("reserved / not globally routable");

    private final String description;

    AddressCategory(String description) {
        this.description = description;
    }

    /** A phrase for refusal messages, e.g. "link-local (incl. the 169.254.169.254 metadata service)". */
    public String description() {
        return description;
    }

    public boolean isPublic() {
        return this == PUBLIC;
    }

    /** Classifies an IPv4 or IPv6 address by its bytes alone; no lookup is made. */
    public static AddressCategory of(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ofIpv4(b, 0) : ofIpv6(b);
    }

    private static AddressCategory ofIpv4(byte[] b, int at) {
        int a0 = b[at] & 0xff;
        int a1 = b[at + 1] & 0xff;
        int a2 = b[at + 2] & 0xff;
        int a3 = b[at + 3] & 0xff;
        if (a0 == 0) {
            return UNSPECIFIED; // 0.0.0.0/8: "this network"; connecting to 0.0.0.0 reaches localhost on Linux
        }
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return PRIVATE;
        }
        if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return CGNAT;
        }
        if ((a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return DOCUMENTATION;
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return BENCHMARK;
        }
        if ((a0 == 192 && a1 == 0 && a2 == 0) || (a0 == 192 && a1 == 88 && a2 == 99)) {
            return RESERVED; // IETF protocol assignments; the retired 6to4 relay anycast prefix
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return BROADCAST;
        }
        if ((a0 & 0xf0) == 224) {
            return MULTICAST;
        }
        if ((a0 & 0xf0) == 240) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressCategory ofIpv6(byte[] b) {
        if (zeros(b, 0, 15)) {
            return b[15] == 0 ? UNSPECIFIED : b[15] == 1 ? LOOPBACK : RESERVED;
        }
        if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ofIpv4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
        }
        if (zeros(b, 0, 12)) {
            return RESERVED; // IPv4-compatible ::a.b.c.d, deprecated since 2006 (RFC 4291)
        }
        int w0 = word(b, 0);
        int w1 = word(b, 2);
        if (w0 == 0x0064 && w1 == 0xff9b && zeros(b, 4, 12)) {
            return ofIpv4(b, 12); // well-known NAT64 prefix: the gateway connects to the embedded IPv4
        }
        if (w0 == 0x0064 && w1 == 0xff9b && word(b, 4) == 0x0001) {
            return PRIVATE; // 64:ff9b:1::/48 local-use NAT64
        }
        if (w0 == 0x2002) {
            AddressCategory embedded = ofIpv4(b, 2); // 6to4 carries the IPv4 address in bits 16..47
            return embedded.isPublic() ? PUBLIC : embedded;
        }
        if ((w0 == 0x2001 && w1 == 0x0db8) || (w0 & 0xfff0) == 0x3ff0) {
            return DOCUMENTATION; // 2001:db8::/32 and 3fff::/20
        }
        if (w0 == 0x2001 && w1 == 0x0002 && word(b, 4) == 0) {
            return BENCHMARK; // 2001:2::/48
        }
        if (w0 == 0x2001 && (w1 & 0xfe00) == 0) {
            return RESERVED; // 2001::/23 IETF protocol assignments, including Teredo 2001::/32
        }
        if ((w0 & 0xffc0) == 0xfe80) {
            return LINK_LOCAL;
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return SITE_LOCAL;
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return UNIQUE_LOCAL;
        }
        if ((w0 & 0xff00) == 0xff00) {
            return MULTICAST;
        }
        if ((w0 & 0xe000) != 0x2000) {
            return RESERVED; // only 2000::/3 is allocated for global unicast
        }
        return PUBLIC;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
