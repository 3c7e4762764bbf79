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
        ImageSignature ref = Signatures.of(chelsea);
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
                    ImageMatch m = similarity.compare(Signatures.of(a), Signatures.of(b));
                    assertFalse(m.matched(), a + " vs " + b + ": " + m);
                    assertTrue(m.score() < 0.5 && m.score() >= 0, a + " vs " + b);
                }
            }
        }
    }

    @Test
    void bestPicksTheReferenceTheCandidateCameFrom() {
        List<ImageSimilarity.Reference> refs = List.of(
                new ImageSimilarity.Reference("coffee.png", Signatures.of("coffee.png")),
                new ImageSimilarity.Reference("rocket.jpg", Signatures.of("rocket.jpg")),
                new ImageSimilarity.Reference("astronaut.png", Signatures.of("astronaut.png")));
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
    }
}
