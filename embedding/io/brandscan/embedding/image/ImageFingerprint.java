package io.brandscan.embedding.image;

import java.awt.image.BufferedImage;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The perceptual hashes of one image, made robust where plain hashes fail. Four views are
 * hashed: the whole image, the image with near-uniform borders and padding trimmed
 * ({@link BorderTrim}), and the horizontal mirror of each, so padded, framed and flipped copies
 * still match. The whole view is kept beside the trimmed one because trimming is not perfectly
 * stable on natural uniform areas (a gradient sky ends a few rows earlier after a resize);
 * for an image without borders the two views are identical. Crops are left to the image
 * embedding: hashes of a crop are as far from the original as unrelated images are, and
 * multi-region hashes only help when a crop lines up with a stored region (measured in
 * ImageFingerprintTest#cropsAreLeftToTheEmbedding).
 *
 * <p>Immutable; {@link #toHex()} / {@link #fromHex(String)} give a compact text form for
 * storage and the wire.
 */
public record ImageFingerprint(
        ImageHashes whole,
        ImageHashes trimmed,
        ImageHashes mirroredWhole,
        ImageHashes mirroredTrimmed) {

    public ImageFingerprint {
        Objects.requireNonNull(whole, "whole");
        Objects.requireNonNull(trimmed, "trimmed");
        Objects.requireNonNull(mirroredWhole, "mirroredWhole");
        Objects.requireNonNull(mirroredTrimmed, "mirroredTrimmed");
    }

    /** Hashes an image (any size, any type). Blocking CPU work: keep it off event loops. */
    public static ImageFingerprint of(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        GreyPlane grey = GreyPlane.of(image);
        BorderTrim.Region all = new BorderTrim.Region(0, 0, grey.width, grey.height);
        BorderTrim.Region content = BorderTrim.find(grey);
        ImageHashes[] whole = ImageHashes.ofRegionAndMirror(grey, all);
        ImageHashes[] trimmed = content.equals(all) ? whole : ImageHashes.ofRegionAndMirror(grey, content);
        return new ImageFingerprint(whole[0], trimmed[0], whole[1], trimmed[1]);
    }

    /**
     * The best distances from this (reference) fingerprint to a candidate's: whole against whole
     * or trimmed against trimmed, with the candidate as it is or mirrored; the pairing with the
     * smallest total wins, and its three distances are returned together.
     */
    public HashDistances distance(ImageFingerprint candidate) {
        HashDistances best = pair(whole, candidate.whole, false, false);
        best = better(best, pair(whole, candidate.mirroredWhole, true, false));
        best = better(best, pair(trimmed, candidate.trimmed, false, true));
        return better(best, pair(trimmed, candidate.mirroredTrimmed, true, true));
    }

    private static HashDistances pair(ImageHashes ref, ImageHashes cand, boolean mirrored, boolean trimmed) {
        return new HashDistances(ref.aDistance(cand), ref.dDistance(cand), ref.pDistance(cand), mirrored, trimmed);
    }

    private static HashDistances better(HashDistances current, HashDistances challenger) {
        return challenger.total() < current.total() ? challenger : current;
    }

    /**
     * Twelve 16-digit hex words joined by '-': aHash, dHash, pHash of the whole, trimmed,
     * mirrored whole and mirrored trimmed views, in that order.
     */
    public String toHex() {
        HexFormat hex = HexFormat.of();
        StringBuilder sb = new StringBuilder(12 * 17);
        for (ImageHashes h : new ImageHashes[] {whole, trimmed, mirroredWhole, mirroredTrimmed}) {
            for (long v : new long[] {h.aHash(), h.dHash(), h.pHash()}) {
                if (sb.length() > 0) {
                    sb.append('-');
                }
                sb.append(hex.toHexDigits(v));
            }
        }
        return sb.toString();
    }

    public static ImageFingerprint fromHex(String text) {
        String[] words = Objects.requireNonNull(text, "text").split("-", -1);
        if (words.length != 12) {
            throw new IllegalArgumentException("a fingerprint is twelve hex words joined by '-', got " + words.length);
        }
        long[] v = new long[12];
        for (int i = 0; i < 12; i++) {
            if (words[i].length() != 16) {
                throw new IllegalArgumentException("fingerprint word " + i + " must be 16 hex digits: " + words[i]);
            }
            v[i] = HexFormat.fromHexDigitsToLong(words[i]);
        }
        return new ImageFingerprint(new ImageHashes(v[0], v[1], v[2]), new ImageHashes(v[3], v[4], v[5]),
                new ImageHashes(v[6], v[7], v[8]), new ImageHashes(v[9], v[10], v[11]));
    }
}
