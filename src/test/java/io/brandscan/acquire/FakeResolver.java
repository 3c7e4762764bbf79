package io.brandscan.acquire;

import io.vertx.core.Future;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS stand-in: a table of names to answers, so tests can make any name "resolve" to any
 * address (public, private, metadata) without a lookup ever leaving the process. A name can have
 * a sequence of answers (the first lookup gets the first), which is how a test models DNS
 * rebinding. Counts lookups per name.
 */
final class FakeResolver implements HostResolver {
    private final Map<String, List<List<InetAddress>>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** Answers {@code name} with these addresses (IPv6 without brackets) on every lookup. */
    FakeResolver map(String name, String... addresses) {
        answers.put(name, new ArrayList<>(List.of(parse(addresses))));
        return this;
    }

    /** Answers the first lookup with {@code first} and every later one with {@code later}. */
    FakeResolver rebind(String name, String first, String later) {
        answers.put(name, new ArrayList<>(List.of(parse(first), parse(later))));
        return this;
    }

    int lookups(String name) {
        AtomicInteger count = lookups.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public Future<List<InetAddress>> resolve(String host) {
        int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
        List<List<InetAddress>> sequence = answers.get(host);
        if (sequence == null) {
            return Future.failedFuture(new UnknownHostException(host + ": no such name in the test's DNS table"));
        }
        return Future.succeededFuture(sequence.get(Math.min(n, sequence.size() - 1)));
    }

    private static List<InetAddress> parse(String... addresses) {
        List<InetAddress> parsed = new ArrayList<>();
        for (String a : addresses) {
            parsed.add(HostLiteral.parse(a.contains(":") ? "[" + a + "]" : a));
        }
        return parsed;
    }
}
