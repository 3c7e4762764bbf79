package io.brandscan.embedding.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.image.ImageVariants;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** image_score on the real test images and the real MobileNetV2. */
class ImageSimilarityTest {

    private final ImageSimilarity similarity = ImageSimilarity.withDefaults();

    @Test
    void aPhotoMatchesItselfPerfectly() {
        ImageSignature chelsea = Signatures.of("chelsea.png");
        ImageMatch m = similarity.compare(chelsea, chelsea);
        assertEquals(1.0, m.score(), 1e-9);
        assertEquals(1.0, m.embeddingCosine(), 1e-5);
        assertEquals(0, m.hashes().total());
        assertEquals(ImageMatch.Part.HASH, m.decidedBy());
    }

    @Test
    void copiesMatchAndEachIsFoundByTheRightPart() {
        BufferedImage chelsea = Signatures.image("chelsea.png");
        ImageSignature ref = Signatures.reference(chelsea);
        ImageMatch padded = similarity.compare(ref, Signatures.of(ImageVariants.pad(chelsea, 0.2, Color.WHITE)));
        assertTrue(padded.matched(), "padded: " + padded);
        assertTrue(padded.hashes().trimmed(), "padding is trimmed away");
        assertEquals(ImageMatch.Part.HASH, padded.decidedBy());
        ImageMatch mirrored = similarity.compare(ref, Signatures.of(ImageVariants.mirror(chelsea)));
        assertTrue(mirrored.matched() && mirrored.hashes().mirrored(), "mirror: " + mirrored);
        // A 20% crop moves pHash well away; the embedding and the hashes together still find it.
        ImageMatch cropped = similarity.compare(ref,
                Signatures.of(ImageVariants.crop(chelsea, 0.2, ImageVariants.Anchor.CENTRE)));
        assertTrue(cropped.matched(), "crop: " + cropped);
        assertTrue(cropped.hashScore() < ImageSimilarity.MATCH_SCORE, "hashes alone miss the crop: " + cropped);
        assertTrue(cropped.score() > cropped.hashScore());
    }

    @Test
    void differentPhotosDoNotMatch() {
        List<String> names = List.of("chelsea.png", "coffee.png", "astronaut.png", "grass.png", "gravel.png");
        for (String a : names) {
            for (String b : names) {
                if (!a.equals(b)) {
                    ImageMatch m = similarity.compare(Signatures.reference(a), Signatures.of(b));
                    assertFalse(m.matched(), a + " vs " + b + ": " + m);
                    assertTrue(m.score() < 0.5 && m.score() >= 0, a + " vs " + b);
                }
            }
        }
    }

    @Test
    void bestPicksTheReferenceTheCandidateCameFrom() {
        List<ImageSimilarity.Reference> refs = List.of(
                new ImageSimilarity.Reference("coffee.png", Signatures.reference("coffee.png")),
                new ImageSimilarity.Reference("rocket.jpg", Signatures.reference("rocket.jpg")),
                new ImageSimilarity.Reference("astronaut.png", Signatures.reference("astronaut.png")));
        ImageSignature candidate = Signatures.of(ImageVariants.jpegRecompress(
                ImageVariants.resize(Signatures.image("rocket.jpg"), 0.5), 0.3f));
        ImageMatch best = similarity.best(refs, candidate);
        assertEquals("rocket.jpg", best.referenceId());
        assertTrue(best.matched());
        for (ImageSimilarity.Reference r : refs) {
            assertTrue(similarity.compare(r.signature(), candidate).score() <= best.score());
        }
        assertNull(similarity.best(List.of(), candidate), "no reference images: no match at all");
    }

    @Test
    void cropWindowsOfTheReferenceFindACornerCrop() {
        // 20% off the left and top: the hashes are at chance distance, the whole-image embedding
        // is not close enough, the bottom-right window is (not every image: 8 of 11 on the bench).
        BufferedImage chelsea = Signatures.image("chelsea.png");
        ImageSignature cornerCrop = Signatures.of(ImageVariants.crop(chelsea, 0.2, ImageVariants.Anchor.BOTTOM_RIGHT));
        ImageSignature withWindows = Signatures.reference(chelsea);
        assertEquals(ReferenceViews.NAMES.size(), withWindows.cropEmbeddings().size());
        ImageSignature wholeOnly = new ImageSignature(withWindows.embedding(), withWindows.fingerprint());
        ImageMatch viaWindows = similarity.compare(withWindows, cornerCrop);
        ImageMatch viaWhole = similarity.compare(wholeOnly, cornerCrop);
        assertEquals("bottom-right 85%", viaWindows.embeddingView(), viaWindows.toString());
        assertEquals(ImageSimilarity.WHOLE, viaWhole.embeddingView());
        assertTrue(viaWindows.embeddingCosine() > viaWhole.embeddingCosine() + 0.02, viaWindows + " / " + viaWhole);
        assertTrue(viaWindows.score() > viaWhole.score());
        assertTrue(viaWindows.matched(), viaWindows.toString());
        assertFalse(viaWhole.matched(), "without the windows the crop is missed: " + viaWhole);
    }

    @Test
    void referenceViewsAreTheWindowsTheyAreNamedFor() {
        BufferedImage coffee = Signatures.image("coffee.png");
        List<BufferedImage> crops = ReferenceViews.crops(coffee);
        assertEquals(5, crops.size());
        BufferedImage centre = crops.get(0);
        assertEquals(Math.round(coffee.getWidth() * 0.8), centre.getWidth(), 1);
        int x0 = (int) Math.floor(coffee.getWidth() * 0.1);
        int y0 = (int) Math.floor(coffee.getHeight() * 0.1);
        assertEquals(coffee.getRGB(x0 + 3, y0 + 4), centre.getRGB(3, 4));
        BufferedImage bottomRight = crops.get(4);
        assertEquals(coffee.getRGB(coffee.getWidth() - 1, coffee.getHeight() - 1),
                bottomRight.getRGB(bottomRight.getWidth() - 1, bottomRight.getHeight() - 1));
        assertEquals(coffee.getRGB(0, 0), crops.get(1).getRGB(0, 0));
    }

    @Test
    void embeddingsFromDifferentModelsAreRefused() {
        ImageSignature a = Signatures.of("coins.png");
        ImageSignature shorter = new ImageSignature(new float[] {1, 0, 0}, a.fingerprint());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> similarity.compare(a, shorter));
        assertTrue(e.getMessage().contains("different lengths"));
    }

    @Test
    void calibrationFromConfigNamesTheBadField() {
        assertEquals(ImageSimilarity.Calibration.DEFAULTS, ImageSimilarity.Calibration.fromConfig(Map.of()));
        assertEquals(25, ImageSimilarity.Calibration.fromConfig(Map.of("phash_match", 25)).phashMatch());
        ScoringConfigException e = assertThrows(ScoringConfigException.class,
                () -> ImageSimilarity.Calibration.fromConfig(Map.of("cosine_match", "high")));
        assertEquals("image_calibration.cosine_match", e.field());
        assertThrows(IllegalArgumentException.class, () -> new ImageSimilarity.Calibration(64, 0.9, 1, 0.2));
        assertThrows(IllegalArgumentException.class, () -> new ImageSignature(new float[] {1, 2},
                Signatures.of("coins.png").fingerprint(), List.of(new float[] {1})));
    }
}
