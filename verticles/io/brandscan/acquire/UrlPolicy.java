package io.brandscan.acquire;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a URL may be fetched, given every address its host resolved to: the SSRF
 * rule of DESIGN.md's pipeline. A URL is allowed only when it parses as a plain http(s) URL and
 * <em>each</em> address is {@link AddressCategory#PUBLIC} or permitted by an {@link AllowRule};
 * one private address among public ones refuses the whole URL, because the connection could
 * land on either. Pure: no lookups, no clock, no I/O.
 */
public final class UrlPolicy {
    private final List<AllowRule> allow;

    public UrlPolicy(List<AllowRule> allow) {
        this.allow = List.copyOf(allow);
    }

    /** A policy from the {@code allow} configuration entries; throws naming the first bad entry. */
    public static UrlPolicy fromEntries(List<String> entries) {
        List<AllowRule> rules = new ArrayList<>();
        for (String entry : entries) {
            rules.add(AllowRule.parse(entry));
        }
        return new UrlPolicy(rules);
    }

    /** The policy with no allowlist: only public addresses. */
    public static UrlPolicy strict() {
        return new UrlPolicy(List.of());
    }

    public List<AllowRule> allowRules() {
        return allow;
    }

    /**
     * Parses {@code url} and checks it. For an address literal the literal is the one address
     * checked and {@code resolved} is ignored; for a name, {@code resolved} is what DNS answered.
     */
    public PolicyDecision check(String url, List<InetAddress> resolved) {
        TargetUrl target;
        try {
            target = TargetUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return PolicyDecision.badUrl(e.getMessage());
        }
        return check(target, target.literal() != null ? List.of(target.literal()) : resolved);
    }

    /** Checks an already parsed URL against the addresses its host resolved to. */
    public PolicyDecision check(TargetUrl url, List<InetAddress> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            return PolicyDecision.blocked(List.of(), AddressCategory.UNSPECIFIED,
                    "host " + url.host() + " has no addresses to check");
        }
        List<String> viaAllow = new ArrayList<>();
        for (InetAddress address : addresses) {
            AddressCategory category = AddressCategory.of(address);
            if (category.isPublic()) {
                continue;
            }
            AllowRule rule = permitting(url, address);
            if (rule == null) {
                String spelled = url.literal() != null ? "" : " (resolved from " + url.host() + ")";
                return PolicyDecision.blocked(addresses, category, "address " + TargetUrl.canonical(address) + spelled
                        + " is " + category.description() + " and port " + url.port() + " is not in the allow list");
            }
            viaAllow.add(TargetUrl.canonical(address) + " via allow entry '" + rule.text() + "'");
        }
        return PolicyDecision.allow(addresses, viaAllow.isEmpty() ? "all addresses public" : String.join(", ", viaAllow));
    }

    private AllowRule permitting(TargetUrl url, InetAddress address) {
        for (AllowRule rule : allow) {
            if (rule.permits(url, address)) {
                return rule;
            }
        }
        return null;
    }
}
