package io.brandscan.gather;

/**
 * Why a provider's entry did not become a {@link Listing}. Counted per fetch so a scan can say
 * "240 listings, 10 dropped: 7 bad_image_url, 3 missing_title" instead of failing or hiding them.
 */
public enum RejectReason {
    NOT_AN_OBJECT("not_an_object"),
    MISSING_URL("missing_url"),
    BAD_URL("bad_url"),
    MISSING_TITLE("missing_title"),
    MISSING_IMAGE_URL("missing_image_url"),
    BAD_IMAGE_URL("bad_image_url"),
    BAD_PRICE("bad_price"),
    BAD_FIELD_TYPE("bad_field_type");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** The snake_case code used in JSON, logs and scan records. */
    public String code() {
        return code;
    }
}
