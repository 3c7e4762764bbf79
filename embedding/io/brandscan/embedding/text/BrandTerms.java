package io.brandscan.embedding.text;

import java.util.List;
import java.util.Objects;

/**
 * What a brand is called, as its configuration says: official names (possibly several words,
 * "Louis Vuitton"), misspellings known to be used by counterfeiters, keywords such as product
 * lines ("Air Max"), and an optional short description for the sentence embedding ("athletic
 * shoes and sportswear"). Immutable; blank entries are dropped.
 */
public record BrandTerms(List<String> names, List<String> misspellings, List<String> keywords, String description) {

    public BrandTerms {
        names = clean(names, "names");
        misspellings = clean(misspellings, "misspellings");
        keywords = clean(keywords, "keywords");
        description = description == null ? "" : description.strip();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a brand needs at least one non-blank name");
        }
    }

    /** Names only. */
    public static BrandTerms ofNames(String... names) {
        return new BrandTerms(List.of(names), List.of(), List.of(), "");
    }

    /** Names, misspellings and keywords, no description. */
    public static BrandTerms of(List<String> names, List<String> misspellings, List<String> keywords) {
        return new BrandTerms(names, misspellings, keywords, "");
    }

    /** The same terms with a description for the sentence embedding. */
    public BrandTerms withDescription(String text) {
        return new BrandTerms(names, misspellings, keywords, text);
    }

    /**
     * The text whose embedding stands for the brand: names, keywords and description. Keywords
     * and description give the embedding the product context that names alone lack.
     */
    public String profileText() {
        StringBuilder b = new StringBuilder(String.join(", ", names));
        if (!keywords.isEmpty()) {
            b.append(": ").append(String.join(", ", keywords));
        }
        if (!description.isEmpty()) {
            b.append(". ").append(description);
        }
        return b.toString();
    }

    private static List<String> clean(List<String> values, String field) {
        if (values == null) {
            return List.of();
        }
        return values.stream()
                .map(v -> Objects.requireNonNull(v, field + " must not contain null"))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .distinct()
                .toList();
    }
}
