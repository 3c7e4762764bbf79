package io.brandscan.demo;

import io.brandscan.embedding.image.ImageVariants;
import io.brandscan.embedding.image.ImageVariants.Anchor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.function.UnaryOperator;

/**
 * The edits the demo marketplace applies to a source photo before it is served, named so that
 * {@code /truth.json} can say exactly what each listing's photo is. Built on
 * {@link ImageVariants}; the parameters stay within what brandscan's image score is calibrated
 * for (bench/image-quality.sh), so the demo shows what the product finds, not where it fails.
 */
public enum DemoEdit {
    ORIGINAL("original", true, i -> i),
    RESIZE_50("resize 50%", true, i -> ImageVariants.resize(i, 0.5)),
    RESIZE_33_JPEG_Q50("resize 33% + JPEG q50", true,
            i -> ImageVariants.jpegRecompress(ImageVariants.resize(i, 0.33), 0.5f)),
    JPEG_Q30("JPEG q30", true, i -> ImageVariants.jpegRecompress(i, 0.3f)),
    PAD_WHITE("pad 20% white", true, i -> ImageVariants.pad(i, 0.2, Color.WHITE)),
    PAD_GREY_WATERMARK("pad 10% grey + watermark", true,
            i -> ImageVariants.watermark(ImageVariants.pad(i, 0.1, new Color(0xF0F0F0)), "SALE -70%")),
    WATERMARK("watermark", true, i -> ImageVariants.watermark(i, "BEST PRICE shop.example")),
    MIRROR("mirror", true, ImageVariants::mirror),
    BRIGHTER("brightness +25%", true, i -> ImageVariants.brightness(i, 1.25)),
    DARKER("brightness -20%", true, i -> ImageVariants.brightness(i, 0.8)),
    CONTRAST("contrast +30%", true, i -> ImageVariants.contrast(i, 1.3)),
    GREYSCALE("greyscale", true, ImageVariants::greyscale),
    CROP_10("crop 10%", false, i -> ImageVariants.crop(i, 0.10, Anchor.CENTRE)),
    CORNER_CROP_10("corner crop 10%", false, i -> ImageVariants.crop(i, 0.10, Anchor.TOP_LEFT)),
    ROTATE_5("rotate 5 deg", false, i -> ImageVariants.rotate(i, 5, Color.WHITE));

    private final String label;
    private final boolean keepsHashes;
    private final UnaryOperator<BufferedImage> apply;

    DemoEdit(String label, boolean keepsHashes, UnaryOperator<BufferedImage> apply) {
        this.label = label;
        this.keepsHashes = keepsHashes;
        this.apply = apply;
    }

    /** What the edit does, as {@code /truth.json} reports it. */
    public String label() {
        return label;
    }

    /**
     * Whether a perceptual hash still finds the copy after this edit (crops and rotations move
     * the hashes; the image embedding finds those).
     */
    public boolean keepsHashes() {
        return keepsHashes;
    }

    /** The edited image (a new image; CPU work proportional to the pixels: keep it off event loops). */
    public BufferedImage apply(BufferedImage source) {
        return apply.apply(source);
    }
}
