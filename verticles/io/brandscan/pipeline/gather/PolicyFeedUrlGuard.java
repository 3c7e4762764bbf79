package io.brandscan.pipeline.gather;

import io.brandscan.acquire.HostResolver;
import io.brandscan.acquire.PolicyDecision;
import io.brandscan.acquire.TargetUrl;
import io.brandscan.acquire.UrlPolicy;
import io.brandscan.gather.FeedUrlGuard;
import io.vertx.core.Future;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * The json-feed provider's {@link FeedUrlGuard} backed by the image downloader's SSRF rule: the
 * feed URL (and every redirect and next page) is parsed as strictly as an image URL, its host is
 * resolved (address literals are not) and every address must be public or allowlisted by
 * {@link UrlPolicy}. Resolution goes through a {@link HostResolver}, which for the system
 * resolver runs on a worker thread.
 *
 * <p>Limit: the feed client resolves the name again when it connects, so unlike the image
 * downloader this guard leaves a DNS-rebinding window; feed URLs come from a client's own brand
 * configuration, not from scraped pages, which is why that is accepted here.
 */
public final class PolicyFeedUrlGuard implements FeedUrlGuard {
    private final UrlPolicy policy;
    private final HostResolver resolver;

    public PolicyFeedUrlGuard(UrlPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    @Override
    public Future<Void> check(URI uri) {
        TargetUrl target;
        try {
            target = TargetUrl.parse(uri.toString());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException("not a fetchable url: " + e.getMessage()));
        }
        Future<List<InetAddress>> addresses = target.needsResolution()
                ? resolver.resolve(target.host()).recover(e -> Future.failedFuture(
                        new IllegalArgumentException("feed host " + target.host() + " does not resolve: " + e.getMessage())))
                : Future.succeededFuture(List.of(target.literal()));
        return addresses.compose(resolved -> {
            PolicyDecision decision = policy.check(target, resolved);
            return decision.allowed() ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(new IllegalArgumentException(decision.reason()));
        });
    }
}
