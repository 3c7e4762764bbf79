package io.brandscan.acquire;

import java.net.InetAddress;
import java.util.List;

/**
 * The {@link UrlPolicy}'s answer for one URL and the addresses its host resolved to.
 *
 * @param allowed   true when every address may be fetched
 * @param refusal   why not: {@link DownloadFailure#BAD_URL} or {@link DownloadFailure#BLOCKED_ADDRESS};
 *                  null when allowed
 * @param reason    a sentence for logs and for the scan's failure list
 * @param addresses the addresses that were checked, in resolver order; a connection may go only
 *                  to one of these (never to a fresh lookup of the name)
 * @param refusedCategory the category of the first refused address, null unless BLOCKED_ADDRESS
 */
public record PolicyDecision(boolean allowed, DownloadFailure refusal, String reason, List<InetAddress> addresses,
                             AddressCategory refusedCategory) {
    public PolicyDecision {
        addresses = List.copyOf(addresses);
        if (allowed == (refusal != null)) {
            throw new IllegalArgumentException("an allowed decision has no refusal and a refused one has one");
        }
    }

    static PolicyDecision allow(List<InetAddress> addresses, String reason) {
        return new PolicyDecision(true, null, reason, addresses, null);
    }

    static PolicyDecision badUrl(String reason) {
        return new PolicyDecision(false, DownloadFailure.BAD_URL, reason, List.of(), null);
    }

    static PolicyDecision blocked(List<InetAddress> addresses, AddressCategory category, String reason) {
        return new PolicyDecision(false, DownloadFailure.BLOCKED_ADDRESS, reason, addresses, category);
    }
}
