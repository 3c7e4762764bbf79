package io.brandscan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.scoring.BrandReference;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ImageSimilarity;
import io.brandscan.embedding.scoring.InfringementScore;
import io.brandscan.embedding.scoring.InfringementScorer;
import io.brandscan.embedding.scoring.ListingEvidence;
import io.brandscan.embedding.text.TextScorer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end without the pipeline: the demo marketplace's feed, photos and brand document, read
 * over real HTTP and scored by the real {@link InfringementScorer} (MobileNetV2 image embeddings,
 * perceptual hashes, MiniLM and the lexical text matcher). The demo is only worth showing if the
 * product finds its infringing listings and leaves its clean ones alone.
 */
class DemoScoringTest {
    private static Vertx vertx;
    private static WebClient web;
    private static ImageEmbedder embedder;
    private static InfringementScorer scorer;

    @BeforeAll
    static void setUp() {
        vertx = Vertx.vertx();
        web = WebClient.create(vertx);
        embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults());
        scorer = new InfringementScorer(TextScorer.withMiniLm(), ImageSimilarity.withDefaults());
    }

    @AfterAll
    static void tearDown() {
        if (embedder != null) {
            embedder.close();
        }
        vertx.close().await();
    }

    private record Scored(JsonObject truth, JsonObject listing, InfringementScore score) {
    }

    /** Scores the sample of {@code ids} (all listings when null) of a marketplace with {@code conf}. */
    private List<Scored> score(JsonObject conf, List<String> ids) {
        DemoMarketplaceVerticle v = new DemoMarketplaceVerticle();
        vertx.deployVerticle(v, new DeploymentOptions().setConfig(conf.copy().put("port", 0))).await();
        JsonObject doc = get(v.baseUrl() + "/brand.json").toJsonObject();
        Map<String, Object> map = doc.getMap();
        List<ImageSimilarity.Reference> references = new ArrayList<>();
        for (Object url : doc.getJsonArray("reference_images")) {
            references.add(new ImageSimilarity.Reference((String) url,
                    ImageSignature.ofReference(image((String) url), embedder::embed)));
        }
        BrandReference brand = BrandReference.fromBrandDocument("astra-outfitters", map, references,
                scorer.textScorer().profile(BrandReference.brandTerms(map)));
        JsonArray feed = get(doc.getJsonObject("provider").getString("url")).toJsonArray();
        JsonArray truth = get(v.baseUrl() + "/truth.json").toJsonObject().getJsonArray("listings");
        List<JsonObject> sampleTruth = new ArrayList<>();
        List<JsonObject> sampleListings = new ArrayList<>();
        List<ListingEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < feed.size(); i++) {
            JsonObject t = truth.getJsonObject(i);
            if (ids != null && !ids.contains(t.getString("id"))) {
                continue;
            }
            JsonObject l = feed.getJsonObject(i);
            assertEquals(t.getString("url"), l.getString("url"));
            sampleTruth.add(t);
            sampleListings.add(l);
            evidence.add(new ListingEvidence(l.getString("title"), l.getDouble("price"), l.getString("currency"),
                    l.getString("seller"), ImageSignature.ofListing(image(l.getString("image_url")), embedder::embed)));
        }
        List<InfringementScore> scores = scorer.scoreAll(evidence, brand);
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            out.add(new Scored(sampleTruth.get(i), sampleListings.get(i), scores.get(i)));
        }
        return out;
    }

    private io.vertx.core.buffer.Buffer get(String url) {
        var r = web.getAbs(url).send().await();
        assertEquals(200, r.statusCode(), url);
        return r.body();
    }

    private BufferedImage image(String url) {
        return ImageDecoder.withDefaults().decode(get(url).getBytes()).image();
    }

    /** Precision and recall of the scorer's verdicts against the ground truth, printed with every miss. */
    private static double[] report(String what, List<Scored> scored) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        for (Scored s : scored) {
            boolean truth = s.truth().getBoolean("infringing");
            boolean found = s.score().infringing();
            tp += truth && found ? 1 : 0;
            fp += !truth && found ? 1 : 0;
            fn += truth && !found ? 1 : 0;
            tn += !truth && !found ? 1 : 0;
            System.out.printf(Locale.ROOT, "%s %-5s p=%.3f image=%.3f text=%.3f %-11s %-26s %s%n",
                    truth == found ? "  " : "!!", truth ? "INFR" : "clean", s.score().probability(), s.score().image().score(),
                    s.score().text().score().score(), s.truth().getString("trick"), s.truth().getString("edit"),
                    s.listing().getString("title"));
        }
        double precision = tp + fp == 0 ? 1.0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 1.0 : tp / (double) (tp + fn);
        System.out.printf(Locale.ROOT, "demo scoring, %s: %d listings, %d infringing; tp=%d fp=%d fn=%d tn=%d; "
                + "precision %.3f, recall %.3f%n", what, scored.size(), tp + fn, tp, fp, fn, tn, precision, recall);
        return new double[] {precision, recall};
    }

    /**
     * The brief's sample: 20 listings of the default demo, the first ten infringing (every stolen
     * photo under a plain title among them, the hardest case: only the image can find it) and
     * the first ten clean ones in feed order.
     */
    @Test
    void theScorerFindsTheInfringingListingsOfASampleOfTwentyAndNoCleanOne() {
        DemoCatalog catalog = DemoCatalog.generate(DemoCatalogSettings.DEFAULTS);
        List<String> ids = new ArrayList<>();
        catalog.listings().stream().filter(l -> l.trick().equals("neutral")).limit(5).forEach(l -> ids.add(l.id()));
        catalog.listings().stream().filter(DemoListing::infringing).filter(l -> !ids.contains(l.id()))
                .limit(10 - ids.size()).forEach(l -> ids.add(l.id()));
        catalog.listings().stream().filter(l -> !l.infringing()).limit(10).forEach(l -> ids.add(l.id()));
        assertEquals(20, ids.size());
        List<Scored> scored = score(new JsonObject(), ids);
        assertEquals(20, scored.size());
        double[] pr = report("sample of 20", scored);
        assertTrue(pr[0] >= 0.9, "precision " + pr[0]);
        assertTrue(pr[1] >= 0.9, "recall " + pr[1]);
        for (Scored s : scored) {
            if (s.truth().getString("trick").equals("neutral") && s.score().infringing()) {
                assertTrue(s.score().image().match().matched(), "a plain title is found by its photo: " + s.truth());
                assertEquals(s.truth().getString("reference"), s.score().image().match().referenceId(),
                        "the photo it copies is named");
            }
        }
    }

    /**
     * Every photo a clean listing can show (each distractor photo under each shop edit) scores
     * below the image match line and below the demo brand's bonus floor against every reference:
     * however cheap and whoever sells it, a clean listing cannot be tipped over by bonuses.
     */
    @Test
    void noCleanPhotoComesNearTheBonusFloor() {
        DemoImages images = new DemoImages();
        ImageDecoder decoder = ImageDecoder.withDefaults();
        List<ImageSimilarity.Reference> references = new ArrayList<>();
        for (int n = 0; n < DemoBrand.PRODUCTS.size(); n++) {
            references.add(new ImageSimilarity.Reference(DemoBrand.referencePhoto(n),
                    ImageSignature.ofReference(decoder.decode(images.reference(n)).image(), embedder::embed)));
        }
        ImageSimilarity similarity = ImageSimilarity.withDefaults();
        double highest = 0;
        String closest = null;
        for (String photo : DemoCatalog.distractorPhotos()) {
            for (DemoEdit edit : DemoCatalog.SHOP_EDITS) {
                BufferedImage served = decoder.decode(images.render(new DemoImage(photo, edit))).image();
                var match = similarity.best(references, ImageSignature.ofListing(served, embedder::embed));
                if (match.score() > highest) {
                    highest = match.score();
                    closest = photo + " (" + edit.label() + ") vs " + match.referenceId();
                }
            }
        }
        System.out.printf(Locale.ROOT, "closest clean photo: %s, image score %.3f (bonus_floor %.2f)%n", closest, highest,
                DemoBrand.BONUS_FLOOR);
        assertTrue(highest < DemoBrand.BONUS_FLOOR, closest + " scores " + highest);
    }

    /** The whole default demo (what {@code brandscan demo} shows a new user), with another seed too. */
    @Test
    void theWholeDefaultDemoAndAnotherSeedScoreCleanly() {
        for (JsonObject conf : List.of(new JsonObject(), new JsonObject().put("seed", 2026).put("size", 40))) {
            double[] pr = report("seed " + conf.getLong("seed", DemoCatalogSettings.DEFAULT_SEED), score(conf, null));
            assertTrue(pr[0] >= 0.9, "precision " + pr[0]);
            assertTrue(pr[1] >= 0.9, "recall " + pr[1]);
        }
    }
}
