package io.brandscan.embedding.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.image.ImageVariants;
import io.brandscan.embedding.scoring.InfringementScore.Bonus;
import io.brandscan.embedding.scoring.InfringementScore.BonusPart;
import io.brandscan.embedding.text.BrandTerms;
import io.brandscan.embedding.text.MatchRule;
import io.brandscan.embedding.text.TextScorer;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scorer with real images, the real MobileNetV2 and the real MiniLM text model. */
class InfringementScorerTest {

    private static InfringementScorer scorer;
    private static BrandReference brand;
    private static ImageSignature stolenCat;
    private static ImageSignature unrelated;

    @BeforeAll
    static void setUp() {
        scorer = new InfringementScorer(TextScorer.withMiniLm(), ImageSimilarity.withDefaults());
        brand = brand(BrandScoringConfig.DEFAULTS);
        // The brand's cat photo, cropped, shrunk and stamped by a shop.
        stolenCat = Signatures.of(ImageVariants.watermark(ImageVariants.resize(
                ImageVariants.crop(Signatures.image("chelsea.png"), 0.1, ImageVariants.Anchor.CENTRE), 0.5), "CHEAP"));
        unrelated = Signatures.of("rocket.jpg");
    }

    private static BrandReference brand(BrandScoringConfig config) {
        BrandTerms terms = BrandTerms.of(List.of("Zentrova"), List.of("Zentrowa"), List.of("cat bed"))
                .withDescription("pet furniture and cat beds");
        return new BrandReference("zentrova", List.of(
                new ImageSimilarity.Reference("coffee.png", Signatures.reference("coffee.png")),
                new ImageSimilarity.Reference("chelsea.png", Signatures.reference("chelsea.png"))),
                scorer.textScorer().profile(terms), 80.0, "EUR",
                SellerAllowlist.of(List.of("Zentrova Official Store", "petworld")), config);
    }

    @Test
    void aStolenPhotoUnderANeutralTitleIsInfringing() {
        InfringementScore s = scorer.score(new ListingEvidence("Soft pet cushion, grey", 75.0, "EUR",
                "Zentrova Official Store", stolenCat), brand);
        assertTrue(s.infringing(), () -> ScoreJson.toJson(s).encodePrettily());
        assertEquals("chelsea.png", s.image().match().referenceId(), "the reference that matched is named");
        assertTrue(s.image().match().matched());
        assertEquals(s.image().weight() * InfringementScorer.imageEvidence(s.image().score()), s.image().contribution(), 1e-12);
        assertTrue(s.appliedBonuses().isEmpty(), "fair price, authorised seller: no bonus");
    }

    @Test
    void imageSimilarityBecomesEvidenceOnlyAroundItsMatchLine() {
        assertEquals(0.5, InfringementScorer.imageEvidence(ImageSimilarity.MATCH_SCORE), 1e-12);
        assertTrue(InfringementScorer.imageEvidence(0.44) < 0.1);
        assertTrue(InfringementScorer.imageEvidence(0.30) < 0.001);
        assertTrue(InfringementScorer.imageEvidence(0.55) > 0.85);
    }

    @Test
    void anUnrelatedPhotoSoldCheaplyByAnUnknownSellerIsNotInfringing() {
        InfringementScore s = scorer.score(new ListingEvidence("Garden paving stones, set of 20", 5.0, "EUR",
                "random-discount-shop", Signatures.of("brick.png")), brand);
        assertFalse(s.infringing(), () -> ScoreJson.toJson(s).encodePrettily());
        assertTrue(s.appliedBonuses().isEmpty(), "an unrelated photo is not suspicious enough for bonuses");
    }

    @Test
    void theBrandNameInTheTitleAloneIsInfringing() {
        InfringementScore s = scorer.score(new ListingEvidence("ZENTROVA cat bed, large", null, null, null, null), brand);
        assertTrue(s.infringing(), () -> ScoreJson.toJson(s).encodePrettily());
        assertEquals(MatchRule.EXACT_NAME, s.text().score().rule());
        assertEquals("ZENTROVA", s.text().score().titleSpan().text());
        assertNull(s.image().match());
        assertEquals("the listing has no usable image", s.image().note());
        assertEquals(0.0, s.image().contribution());
    }

    @Test
    void anUnrelatedCheapListingFromAnUnknownSellerStaysClean() {
        InfringementScore s = scorer.score(new ListingEvidence("Garden hose 20 m with spray nozzle", 2.0, "EUR",
                "Hose Discount Ltd", unrelated), brand);
        assertFalse(s.infringing(), () -> ScoreJson.toJson(s).encodePrettily());
        assertTrue(s.evidence() < brand.config().thresholds().bonusFloor());
        for (BonusPart b : s.bonuses()) {
            assertTrue(b.fired(), b.toString());
            assertFalse(b.applied(), "bonuses never create suspicion: " + b);
            assertEquals(0.0, b.contribution());
            assertTrue(b.detail().contains("bonus_floor"), b.detail());
        }
        assertEquals(s.evidence(), s.probability(), 1e-12);
    }

    @Test
    void bonusesTipABorderlineListingOverTheLine() {
        // Only the brand's product-line keyword: suspicious, not conclusive (text score about 0.6).
        String title = "Soft cat bed for kittens";
        InfringementScore fair = scorer.score(new ListingEvidence(title, 79.0, "EUR", "petworld", null), brand);
        InfringementScore cheap = scorer.score(new ListingEvidence(title, 19.0, "EUR", "Bargain Bin 24", null), brand);
        assertEquals(fair.evidence(), cheap.evidence(), 1e-12, "same title, same evidence");
        assertTrue(fair.evidence() >= brand.config().thresholds().bonusFloor(), () -> ScoreJson.toJson(fair).encode());
        assertEquals(List.of(), fair.appliedBonuses());
        assertEquals(List.of(Bonus.PRICE_BELOW_REFERENCE, Bonus.UNAUTHORISED_SELLER), cheap.appliedBonuses());
        double expected = 1 - (1 - cheap.evidence()) * (1 - 0.3) * (1 - 0.2);
        assertEquals(expected, cheap.probability(), 1e-12);
        double sum = cheap.evidence() + cheap.bonuses().stream().mapToDouble(BonusPart::contribution).sum();
        assertEquals(cheap.probability(), sum, 1e-12, "contributions add up to the probability");
        assertFalse(fair.infringing(), () -> ScoreJson.toJson(fair).encodePrettily());
        assertTrue(cheap.infringing(), () -> ScoreJson.toJson(cheap).encodePrettily());
    }

    @Test
    void imageAndTextTogetherScoreHigherThanEither() {
        InfringementScore imageOnly = scorer.score(new ListingEvidence("Soft pet cushion", null, null, null, stolenCat), brand);
        InfringementScore textOnly = scorer.score(new ListingEvidence("Zentrova cat bed", null, null, null, null), brand);
        InfringementScore both = scorer.score(new ListingEvidence("Zentrova cat bed", null, null, null, stolenCat), brand);
        assertTrue(both.probability() > Math.max(imageOnly.probability(), textOnly.probability()));
        assertEquals(1 - (1 - both.image().contribution()) * (1 - both.text().contribution()), both.evidence(), 1e-12);
    }

    @Test
    void sellersMatchIgnoringCaseAndSpacesAndUnknownsDoNotFire() {
        SellerAllowlist list = SellerAllowlist.of(List.of("Zentrova Official Store", " ", "petworld"));
        assertEquals(2, list.size());
        assertTrue(list.allows("ZENTROVA  official\tstore"));
        assertTrue(list.allows("ZentrovaOfficialStore"));
        assertTrue(list.allows("Pet World"));
        assertFalse(list.allows("Zentrova Officia1 Store"));
        assertFalse(list.allows(null));
        InfringementScore s = scorer.score(new ListingEvidence("Zentrova cat bed", 10.0, "USD", "  ", null), brand);
        BonusPart price = s.bonuses().get(0);
        BonusPart seller = s.bonuses().get(1);
        assertFalse(price.fired(), "a price in another currency is not compared: " + price.detail());
        assertFalse(seller.fired(), "an unnamed seller is not evidence: " + seller.detail());
    }

    @Test
    void weightsAndThresholdsComeFromTheBrand() {
        JsonObject doc = new JsonObject("""
                {"name": "Zentrova", "weights": {"image": 0.6, "text": 0.0, "seller": 0.5},
                 "thresholds": {"infringement": 0.7, "price_ratio": 0.25}}""");
        BrandScoringConfig config = BrandScoringConfig.fromBrand(doc.getMap());
        assertEquals(new ScoringWeights(0.6, 0.0, 0.3, 0.5), config.weights());
        assertEquals(new ScoringThresholds(0.7, 0.25, 0.25), config.thresholds());
        BrandScoringConfig nested = BrandScoringConfig.fromBrand(new JsonObject()
                .put("weights", new JsonObject().put("text", 0.4)).getMap());
        assertEquals(0.4, nested.weights().text());
        assertEquals(BrandScoringConfig.DEFAULTS, BrandScoringConfig.fromBrand(Map.of("name", "x")));

        InfringementScore s = scorer.score(new ListingEvidence("Zentrova cat bed", null, null, null, stolenCat),
                brand(config));
        assertEquals(0.0, s.text().contribution(), "text weight 0 silences the text");
        assertEquals(0.6 * InfringementScorer.imageEvidence(s.image().score()), s.probability(), 1e-12);
        assertEquals(0.7, s.threshold());
    }

    @Test
    void badConfigurationNamesTheField() {
        assertField("weights.image", Map.of("weights", Map.of("image", 1.5)));
        assertField("weights.txt", Map.of("weights", Map.of("txt", 0.5)));
        assertField("thresholds.infringment", Map.of("thresholds", Map.of("infringment", 0.5)));
        assertField("thresholds.price_ratio", Map.of("thresholds", Map.of("price_ratio", "half")));
        assertField("thresholds.infringement", Map.of("thresholds", Map.of("infringement", 0)));
        assertField("weights", Map.of("weights", "heavy"));
        assertField("weights.image", Map.of("weights", Map.of("image", 0, "text", 0)));
    }

    private static void assertField(String field, Map<String, ?> brandDoc) {
        ScoringConfigException e = assertThrows(ScoringConfigException.class, () -> BrandScoringConfig.fromBrand(brandDoc));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    @Test
    void theBreakdownAsJsonHasEveryPartInSnakeCase() {
        InfringementScore s = scorer.score(new ListingEvidence("Zentrowa cat bed", 15.0, "EUR", "Bargain Bin 24",
                stolenCat), brand);
        JsonObject json = ScoreJson.toJson(s);
        // Round trip through text, as MongoDB and the API see it.
        JsonObject back = new JsonObject(json.encode());
        assertEquals("zentrova", back.getString("brand_id"));
        assertEquals(s.probability(), back.getDouble("probability"), 1e-12);
        assertTrue(back.getBoolean("infringing"));
        JsonObject match = back.getJsonObject("image").getJsonObject("match");
        assertEquals("chelsea.png", match.getString("reference"));
        for (String key : List.of("image_score", "embedding_cosine", "embedding_view", "ahash", "dhash", "phash", "mirrored", "trimmed",
                "decided_by", "hash_score", "joint_score", "embedding_score")) {
            assertTrue(match.containsKey(key), key);
        }
        JsonObject text = back.getJsonObject("text");
        assertEquals("known_misspelling", text.getString("rule"));
        assertEquals("Zentrowa", text.getJsonObject("span").getString("text"));
        assertEquals(0, text.getJsonObject("span").getInteger("start"));
        assertEquals(s.text().contribution(), text.getDouble("contribution"), 1e-12);
        assertEquals("price_below_reference", back.getJsonArray("bonuses").getJsonObject(0).getString("name"));
        assertTrue(back.getJsonArray("bonuses").getJsonObject(1).getBoolean("applied"));
        assertEquals(1.0, back.getJsonObject("weights").getDouble("image"));
        assertEquals(0.5, back.getJsonObject("thresholds").getDouble("price_ratio"));
        assertNotNull(back.getJsonObject("image").getValue("weight"));
        assertTrue(back.getJsonObject("image").containsKey("note"), "absent parts are null, not missing");
    }

    @Test
    void scoreAllEqualsOneByOne() {
        List<ListingEvidence> listings = List.of(
                new ListingEvidence("Zentrova cat bed", 20.0, null, "x", stolenCat),
                new ListingEvidence("Garden hose", null, null, null, unrelated),
                new ListingEvidence("", null, null, null, null));
        List<InfringementScore> all = scorer.scoreAll(listings, brand);
        assertEquals(3, all.size());
        for (int i = 0; i < listings.size(); i++) {
            assertEquals(scorer.score(listings.get(i), brand).probability(), all.get(i).probability(), 1e-6);
        }
        assertEquals(0.0, all.get(2).probability(), 1e-9, "an empty title and no image is no evidence");
    }

    @Test
    void aBrandDocumentBuildsTheReference() {
        JsonObject doc = new JsonObject("""
                {"name": "Zentrova", "names": ["Zentrova", "Zentrova Home"], "misspellings": ["Zentrowa"],
                 "keywords": ["cat bed"], "description": "pet furniture", "reference_price": 80,
                 "reference_currency": "EUR", "authorized_sellers": ["Zentrova Official Store"],
                 "weights": {"seller": 0.4}, "thresholds": {"infringement": 0.6}}""");
        BrandTerms terms = BrandReference.brandTerms(doc.getMap());
        assertEquals(List.of("Zentrova", "Zentrova Home"), terms.names());
        assertEquals(List.of("Zentrowa"), terms.misspellings());
        BrandReference ref = BrandReference.fromBrandDocument("z", doc.getMap(), brand.images(),
                scorer.textScorer().profile(terms));
        assertEquals(80.0, ref.referencePrice());
        assertTrue(ref.authorisedSellers().allows("zentrova official store"));
        assertEquals(0.4, ref.config().weights().seller());
        assertEquals(0.6, ref.config().thresholds().infringement());
        assertEquals(List.of("Acme"), BrandReference.brandTerms(Map.of("name", "Acme")).names());

        ScoringConfigException price = assertThrows(ScoringConfigException.class, () -> BrandReference
                .fromBrandDocument("z", Map.of("reference_price", "cheap"), List.of(), brand.text()));
        assertEquals("reference_price", price.field());
        ScoringConfigException seller = assertThrows(ScoringConfigException.class, () -> BrandReference
                .fromBrandDocument("z", Map.of("authorized_sellers", List.of("a", 3)), List.of(), brand.text()));
        assertEquals("authorized_sellers[1]", seller.field());
        assertEquals("names", assertThrows(ScoringConfigException.class,
                () -> BrandReference.brandTerms(Map.of("names", List.of(" ")))).field());
    }

    @Test
    void aBrandWithoutReferenceImagesSaysSo() {
        BrandReference noImages = new BrandReference("b", List.of(), brand.text(), null, null, null, null);
        InfringementScore s = scorer.score(new ListingEvidence("cushion", 1.0, null, "x", stolenCat), noImages);
        assertEquals("the brand has no reference images", s.image().note());
        assertEquals("no reference_price configured", s.bonuses().get(0).detail());
        assertEquals("no authorized_sellers configured", s.bonuses().get(1).detail());
        assertThrows(IllegalArgumentException.class, () -> new ListingEvidence("t", -1.0, null, null, null));
    }
}
