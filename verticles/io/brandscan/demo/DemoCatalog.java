package io.brandscan.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The demo marketplace's listings for {@link DemoBrand}: a seeded, deterministic mix of
 * infringing listings and clean distractors, with the ground truth of each.
 *
 * <ul>
 *   <li><b>Infringing</b>: a near-copy of one of the brand's reference photos ({@link DemoEdit}:
 *       resized, recompressed, padded, watermarked, mirrored, cropped, rotated, brighter...) under
 *       a look-alike title: the exact name with "replica"/"1:1" words, a misspelling, homoglyphs
 *       (Cyrillic letters that look Latin), leetspeak, the name spaced out, or a plain product
 *       title over the stolen photo. About half are at suspicious prices (under 45% of the
 *       reference price); all come from unauthorised sellers.</li>
 *   <li><b>Clean</b>: the other bundled photos (mildly edited, as any shop's photos are) under
 *       unrelated titles or competitors' names, at ordinary prices, from ordinary shops.</li>
 * </ul>
 * The same {@link DemoCatalogSettings} always give the same catalog (java.util.Random is
 * specified to be the same on every JVM). Pure and immutable; photos are rendered elsewhere
 * ({@link DemoImages}) from each listing's {@link DemoImage} recipe.
 */
public final class DemoCatalog {

    /** A clean product: its photo, its title and its usual price. */
    private record Distractor(String photo, String title, double price) {
    }

    private static final List<Distractor> DISTRACTORS = List.of(
            new Distractor("brick.png", "Red brick wall sticker, 10 sheets", 14.99),
            new Distractor("brick.png", "Brick pattern wallpaper roll 10 m", 24.99),
            new Distractor("camera.png", "Vintage 35mm film camera, tested", 129.00),
            new Distractor("coins.png", "Coin collector album, 200 pockets", 19.99),
            new Distractor("grass.png", "Artificial grass mat 1 x 2 m", 39.99),
            new Distractor("gravel.png", "Aquarium gravel, natural, 5 kg", 12.99),
            new Distractor("hubble_deep_field.jpg", "Deep space galaxy poster 60 x 90 cm", 29.99),
            new Distractor("moon.png", "3D moon lamp with remote", 34.99));

    private static final List<String> COMPETITORS = List.of("Nova Peak", "Kestrel Gear", "Summit Ridge", "Polaris Home");
    private static final List<String> SHOPS = List.of("Home & Garden Depot", "RetroCam Shop", "AquaWorld",
            "PosterPlanet", "Nova Peak Official", "Kestrel Gear Store", "DecoMart");
    private static final List<String> UNAUTHORISED = List.of("bestdeal_store88", "ShenTrade Global", "MegaOutletz",
            "luxury-replicas-4u", "Top1to1 Factory", "cheap_brands_direct");

    /** Edits on stolen photos: every one the image score is calibrated for. */
    private static final List<DemoEdit> COPY_EDITS = List.of(DemoEdit.values());
    /** What an ordinary shop does to its own photos. */
    static final List<DemoEdit> SHOP_EDITS = List.of(DemoEdit.ORIGINAL, DemoEdit.RESIZE_50, DemoEdit.JPEG_Q30,
            DemoEdit.BRIGHTER, DemoEdit.PAD_WHITE, DemoEdit.WATERMARK);

    /** Title tricks of infringing listings, in the order {@code /truth.json} names them. */
    public static final List<String> TRICKS = List.of("replica", "misspelling", "homoglyph", "leetspeak", "spaced",
            "neutral");

    /** The photos clean listings use (none of them a brand reference photo). */
    static List<String> distractorPhotos() {
        return DISTRACTORS.stream().map(Distractor::photo).distinct().toList();
    }

    private final DemoCatalogSettings settings;
    private final List<DemoListing> listings;
    private final Map<String, DemoListing> byId;

    private DemoCatalog(DemoCatalogSettings settings, List<DemoListing> listings) {
        this.settings = settings;
        this.listings = List.copyOf(listings);
        Map<String, DemoListing> index = new LinkedHashMap<>();
        for (DemoListing l : this.listings) {
            index.put(l.id(), l);
        }
        this.byId = Collections.unmodifiableMap(index);
    }

    /** The catalog for these settings (the same every time). */
    public static DemoCatalog generate(DemoCatalogSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Random rng = new Random(settings.seed());
        int infringing = settings.infringingCount();
        List<Draft> drafts = new ArrayList<>(settings.size());
        for (int i = 0; i < infringing; i++) {
            drafts.add(infringing(rng, i));
        }
        for (int i = infringing; i < settings.size(); i++) {
            drafts.add(clean(rng));
        }
        Collections.shuffle(drafts, rng);
        int width = Math.max(4, String.valueOf(settings.size()).length());
        List<DemoListing> out = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            String id = String.format(Locale.ROOT, "%0" + width + "d", i + 1);
            out.add(new DemoListing(id, d.title, d.price, DemoBrand.CURRENCY, d.seller, d.image, d.infringing, d.trick,
                    d.reference));
        }
        return new DemoCatalog(settings, out);
    }

    public DemoCatalogSettings settings() {
        return settings;
    }

    /** Every listing, in feed order. */
    public List<DemoListing> listings() {
        return listings;
    }

    public int size() {
        return listings.size();
    }

    public Optional<DemoListing> byId(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The listings of {@code [from, from + count)} in feed order, clipped to the catalog. */
    public List<DemoListing> page(int from, int count) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("page from " + from + " count " + count);
        }
        int start = Math.min(from, listings.size());
        return listings.subList(start, Math.min(listings.size(), start + count));
    }

    private record Draft(String title, BigDecimal price, String seller, DemoImage image, boolean infringing,
                         String trick, int reference) {
    }

    private static Draft infringing(Random rng, int i) {
        int reference = i % DemoBrand.PRODUCTS.size(); // every reference photo gets copied, evenly
        DemoBrand.Product product = DemoBrand.PRODUCTS.get(reference);
        String trick = TRICKS.get(rng.nextInt(TRICKS.size()));
        List<DemoEdit> edits = trick.equals("neutral")
                // the photo is all there is to find under a plain title: the edits hashes see through
                ? COPY_EDITS.stream().filter(DemoEdit::keepsHashes).toList()
                : COPY_EDITS;
        DemoEdit edit = edits.get(rng.nextInt(edits.size()));
        boolean cheap = rng.nextBoolean();
        double price = cheap ? 9 + rng.nextInt(31) + 0.99 : 69 + rng.nextInt(51) + 0.99;
        String seller = UNAUTHORISED.get(rng.nextInt(UNAUTHORISED.size()));
        return new Draft(title(trick, product, rng), money(price), seller, new DemoImage(product.photo(), edit), true,
                trick, reference);
    }

    private static Draft clean(Random rng) {
        Distractor d = DISTRACTORS.get(rng.nextInt(DISTRACTORS.size()));
        boolean competitor = rng.nextInt(3) == 0;
        String title = competitor ? COMPETITORS.get(rng.nextInt(COMPETITORS.size())) + " " + lowerFirst(d.title) : d.title;
        double price = d.price * (0.85 + 0.3 * rng.nextDouble());
        // a few of the brand's own retailers sell other things too: an authorised seller is not a signal
        String seller = rng.nextInt(8) == 0
                ? DemoBrand.AUTHORIZED_SELLERS.get(rng.nextInt(DemoBrand.AUTHORIZED_SELLERS.size()))
                : SHOPS.get(rng.nextInt(SHOPS.size()));
        DemoEdit edit = SHOP_EDITS.get(rng.nextInt(SHOP_EDITS.size()));
        return new Draft(title, money(price), seller, new DemoImage(d.photo, edit), false,
                competitor ? "competitor" : "plain", -1);
    }

    /** A look-alike title for {@code product} made with {@code trick}. */
    static String title(String trick, DemoBrand.Product product, Random rng) {
        String name = DemoBrand.NAME;
        return switch (trick) {
            case "replica" -> switch (rng.nextInt(3)) {
                case 0 -> name + " " + product.name() + " 1:1 replica";
                case 1 -> "Replica " + name + " " + product.name() + ", AAA mirror quality";
                default -> name + " " + product.name() + " 1:1 copy, fast shipping";
            };
            case "misspelling" -> DemoBrand.MISSPELLINGS.get(rng.nextInt(DemoBrand.MISSPELLINGS.size())) + " "
                    + product.name();
            case "homoglyph" -> homoglyphs(name) + " " + product.name();
            case "leetspeak" -> (rng.nextBoolean() ? "4str4 0utf1tt3rs " : "Astr@ Outf1tters ") + product.name();
            case "spaced" -> (rng.nextBoolean() ? "A S T R A  Outfitters " : "A.s.t.r.a Outfitters ") + product.name();
            case "neutral" -> upperFirst(product.plainName());
            default -> throw new IllegalArgumentException("unknown title trick " + trick);
        };
    }

    /** Latin letters swapped for the Cyrillic ones that look the same: "Astra" reads the same, compares unequal. */
    static String homoglyphs(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            b.append(switch (c) {
                case 'A' -> '\u0410';
                case 'a' -> '\u0430';
                case 'O' -> '\u041E';
                case 'o' -> '\u043E';
                case 'e' -> '\u0435';
                default -> c;
            });
        }
        return b.toString();
    }

    private static BigDecimal money(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
    }

    private static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String upperFirst(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
