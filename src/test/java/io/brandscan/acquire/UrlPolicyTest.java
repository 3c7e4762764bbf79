package io.brandscan.acquire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSRF policy as a table: URL, what DNS answered, the allowlist, and the expected verdict. */
class UrlPolicyTest {

    /**
     * Columns: URL | resolved addresses (space separated; ignored for address literals) |
     * allow entries (space separated) | expected: ALLOW, BAD_URL or the refused AddressCategory.
     */
    @ParameterizedTest(name = "{0} [{1}] allow[{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # public addresses, by literal and by name
            http://93.184.215.14/a.png                  | -                              | -                     | ALLOW
            https://images.example.com/a.jpg            | 93.184.215.14                  | -                     | ALLOW
            https://images.example.com/a.jpg            | 2606:2800:21f:cb07::1          | -                     | ALLOW
            http://[2606:2800:21f:cb07::1]:8080/x       | -                              | -                     | ALLOW
            HTTPS://IMAGES.EXAMPLE.COM./a.jpg           | 93.184.215.14                  | -                     | ALLOW
            # loopback in every spelling
            http://127.0.0.1/                           | -                              | -                     | LOOPBACK
            http://127.255.1.2:8080/                    | -                              | -                     | LOOPBACK
            http://localhost/                           | 127.0.0.1 ::1                  | -                     | LOOPBACK
            http://[::1]/                               | -                              | -                     | LOOPBACK
            http://2130706433/                          | -                              | -                     | LOOPBACK
            http://0177.0.0.1/                          | -                              | -                     | LOOPBACK
            http://0x7f.1/                              | -                              | -                     | LOOPBACK
            http://0x7F000001/                          | -                              | -                     | LOOPBACK
            http://127.1/                               | -                              | -                     | LOOPBACK
            http://127.0.1/                             | -                              | -                     | LOOPBACK
            http://0177.1./                             | -                              | -                     | LOOPBACK
            http://[::ffff:127.0.0.1]/                  | -                              | -                     | LOOPBACK
            http://[::ffff:7f00:1]/                     | -                              | -                     | LOOPBACK
            http://[0:0:0:0:0:ffff:127.0.0.1]/          | -                              | -                     | LOOPBACK
            # private, link-local, metadata
            http://10.0.0.1/                            | -                              | -                     | PRIVATE
            http://172.16.0.1/                          | -                              | -                     | PRIVATE
            http://172.31.255.255/                      | -                              | -                     | PRIVATE
            http://172.32.0.1/                          | -                              | -                     | ALLOW
            http://192.168.1.1/                         | -                              | -                     | PRIVATE
            http://169.254.169.254/latest/meta-data/    | -                              | -                     | LINK_LOCAL
            http://2852039166/                          | -                              | -                     | LINK_LOCAL
            http://[fe80::1]/                           | -                              | -                     | LINK_LOCAL
            http://[::ffff:10.0.0.1]/                   | -                              | -                     | PRIVATE
            http://[::ffff:169.254.169.254]/            | -                              | -                     | LINK_LOCAL
            http://[64:ff9b::a9fe:a9fe]/                | -                              | -                     | LINK_LOCAL
            http://[64:ff9b::5db8:d70e]/                | -                              | -                     | ALLOW
            http://[64:ff9b:1::1]/                      | -                              | -                     | PRIVATE
            http://[2002:c0a8:0101::1]/                 | -                              | -                     | PRIVATE
            http://[2002:5db8:d70e::1]/                 | -                              | -                     | ALLOW
            http://[::10.0.0.1]/                        | -                              | -                     | RESERVED
            http://[2001::1]/                           | -                              | -                     | RESERVED
            # other special ranges
            http://[fd00::1]/                           | -                              | -                     | UNIQUE_LOCAL
            http://[fc00::1]/                           | -                              | -                     | UNIQUE_LOCAL
            http://[fec0::1]/                           | -                              | -                     | SITE_LOCAL
            http://[ff02::1]/                           | -                              | -                     | MULTICAST
            http://224.0.0.1/                           | -                              | -                     | MULTICAST
            http://0.0.0.0/                             | -                              | -                     | UNSPECIFIED
            http://0/                                   | -                              | -                     | UNSPECIFIED
            http://[::]/                                | -                              | -                     | UNSPECIFIED
            http://255.255.255.255/                     | -                              | -                     | BROADCAST
            http://100.64.0.1/                          | -                              | -                     | CGNAT
            http://100.128.0.1/                         | -                              | -                     | ALLOW
            http://192.0.2.1/                           | -                              | -                     | DOCUMENTATION
            http://[2001:db8::1]/                       | -                              | -                     | DOCUMENTATION
            http://198.18.0.1/                          | -                              | -                     | BENCHMARK
            http://240.0.0.1/                           | -                              | -                     | RESERVED
            http://[100::1]/                            | -                              | -                     | RESERVED
            # every address must pass, not only the first
            http://mixed.example/                       | 93.184.215.14 10.0.0.1         | -                     | PRIVATE
            http://mixed.example/                       | 10.0.0.1 93.184.215.14         | -                     | PRIVATE
            http://mixed.example/                       | 93.184.215.14 ::ffff:169.254.169.254 | -               | LINK_LOCAL
            http://nothing.example/                     | -                              | -                     | UNSPECIFIED
            # the allowlist
            http://127.0.0.1:8080/a.png                 | -                              | 127.0.0.1:8080        | ALLOW
            http://127.0.0.1:8081/a.png                 | -                              | 127.0.0.1:8080        | LOOPBACK
            http://localhost:8081/a.png                 | 127.0.0.1 ::1                  | localhost:*           | ALLOW
            http://127.0.0.1:8081/a.png                 | -                              | localhost:*           | LOOPBACK
            http://[::1]:9000/a.png                     | -                              | [::1]:9000            | ALLOW
            http://[::1]:9001/a.png                     | -                              | [::1]:9000            | LOOPBACK
            http://10.1.2.3/a.png                       | -                              | 10.1.0.0/16           | ALLOW
            http://10.2.0.1/a.png                       | -                              | 10.1.0.0/16           | PRIVATE
            http://[::ffff:10.1.2.3]/a.png              | -                              | 10.1.0.0/16           | ALLOW
            http://[fd12::5]/a.png                      | -                              | fd00::/8              | ALLOW
            http://internal.example:81/a.png            | 10.9.9.9                       | internal.example      | ALLOW
            http://0x7f.1:8080/a.png                    | -                              | 127.0.0.1:8080        | ALLOW
            # malformed or forbidden URLs
            ftp://93.184.215.14/a.png                   | -                              | -                     | BAD_URL
            file:///etc/passwd                          | -                              | -                     | BAD_URL
            gopher://127.0.0.1:6379/_INFO               | -                              | -                     | BAD_URL
            javascript:alert(1)                         | -                              | -                     | BAD_URL
            //images.example.com/a.png                  | -                              | -                     | BAD_URL
            http://user:pass@images.example.com/a.png   | 93.184.215.14                  | -                     | BAD_URL
            http://images.example.com@127.0.0.1/        | -                              | -                     | BAD_URL
            http://256.0.0.1/                           | -                              | -                     | BAD_URL
            http://1.2.3.4.5/                           | -                              | -                     | BAD_URL
            http://0x100000000/                         | -                              | -                     | BAD_URL
            http://08.0.0.1/                            | -                              | -                     | BAD_URL
            http://%31%32%37.0.0.1/                     | -                              | -                     | BAD_URL
            http://[fe80::1%25eth0]/                    | -                              | -                     | BAD_URL
            http://[::1/                                | -                              | -                     | BAD_URL
            http://images.example.com:0/                | 93.184.215.14                  | -                     | BAD_URL
            http://images.example.com:70000/            | 93.184.215.14                  | -                     | BAD_URL
            http:///a.png                               | -                              | -                     | BAD_URL
            """)
    void decides(String url, String resolved, String allow, String expected) {
        UrlPolicy policy = UrlPolicy.fromEntries(words(allow));
        List<InetAddress> addresses = new ArrayList<>();
        for (String word : words(resolved)) {
            addresses.add(HostLiteral.parse(word.contains(":") ? "[" + word + "]" : word));
        }
        PolicyDecision decision = policy.check(url, addresses);
        switch (expected) {
            case "ALLOW" -> {
                assertTrue(decision.allowed(), decision::reason);
                assertNull(decision.refusal());
                assertFalse(decision.addresses().isEmpty());
            }
            case "BAD_URL" -> assertEquals(DownloadFailure.BAD_URL, decision.refusal(), decision::reason);
            default -> {
                assertFalse(decision.allowed(), decision::reason);
                assertEquals(DownloadFailure.BLOCKED_ADDRESS, decision.refusal(), decision::reason);
                assertEquals(AddressCategory.valueOf(expected), decision.refusedCategory(), decision::reason);
            }
        }
    }

    @Test
    void oddSpellingsAllMeanTheSameAddress() {
        for (String spelling : List.of("127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "0x7f.0.0.1", "127.1",
                "0x7f000001", "017700000001", "127.0.0.1.")) {
            assertEquals("127.0.0.1", HostLiteral.parse(spelling).getHostAddress(), spelling);
        }
        assertNull(HostLiteral.parse("images.example.com"), "a name is left for DNS");
        assertNull(HostLiteral.parse("1.2.3.example"), "only a numeric last label makes an address");
    }

    @Test
    void targetKeepsTheHostForTheHostHeader() {
        TargetUrl url = TargetUrl.parse("http://Images.Example.COM.:8080/p/a.png?w=1&h=2");
        assertEquals("images.example.com", url.host());
        assertEquals(8080, url.port());
        assertEquals("/p/a.png?w=1&h=2", url.requestUri());
        assertEquals("images.example.com:8080", url.hostHeader());
        assertTrue(url.needsResolution());
        TargetUrl https = TargetUrl.parse("https://images.example.com");
        assertEquals("/", https.requestUri());
        assertEquals("images.example.com", https.hostHeader());
        assertEquals("[::1]:9000", TargetUrl.parse("http://[::1]:9000/").hostHeader());
    }

    @Test
    void malformedAllowEntriesAreRejectedByName() {
        for (String bad : List.of("", "::1:80", "10.0.0.0/33", "127.0.0.1:0", "127.0.0.1:99999", "[::1", "300.1.1.1",
                "host name:80", "10.0.0.0/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowRule.parse(bad), bad);
            assertTrue(e.getMessage().contains("allow entry"), e.getMessage());
        }
    }

    @Test
    void refusalReasonNamesTheAddressAndTheName() {
        PolicyDecision decision = UrlPolicy.strict().check("http://metadata.example/",
                List.of(HostLiteral.parse("169.254.169.254")));
        assertTrue(decision.reason().contains("169.254.169.254"), decision.reason());
        assertTrue(decision.reason().contains("metadata.example"), decision.reason());
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.strip().split("\\s+"));
    }
}
