package io.brandscan.embedding.scoring;

import java.text.Normalizer;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A brand's authorised sellers ({@code authorized_sellers}), compared ignoring case, accents'
 * composed/decomposed forms and all whitespace: marketplaces show "ACME Store", "Acme  store" and
 * "acmestore" for the same shop. Immutable.
 */
public final class SellerAllowlist {

    private final Set<String> keys;

    private SellerAllowlist(Set<String> keys) {
        this.keys = keys;
    }

    public static SellerAllowlist of(Collection<String> sellers) {
        Set<String> keys = new LinkedHashSet<>();
        if (sellers != null) {
            for (String s : sellers) {
                String k = key(s);
                if (!k.isEmpty()) {
                    keys.add(k);
                }
            }
        }
        return new SellerAllowlist(Set.copyOf(keys));
    }

    public static SellerAllowlist empty() {
        return new SellerAllowlist(Set.of());
    }

    /** True when no seller is configured: the seller bonus then never fires. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** Whether the seller is on the list (false for a null or blank seller). */
    public boolean allows(String seller) {
        String k = key(seller);
        return !k.isEmpty() && keys.contains(k);
    }

    static String key(String seller) {
        if (seller == null) {
            return "";
        }
        String nfkc = Normalizer.normalize(seller, Normalizer.Form.NFKC);
        return nfkc.replaceAll("[\\s\\p{Z}]+", "").toLowerCase(Locale.ROOT);
    }
}
