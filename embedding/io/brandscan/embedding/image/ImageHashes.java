package io.brandscan.embedding.image;

/**
 * The three 64-bit perceptual hashes of one view of an image (see {@link PerceptualHash} for
 * how each is made).
 */
public record ImageHashes(long aHash, long dHash, long pHash) {

    /** Hashes the region [x0, x1) x [y0, y1) of a grey plane, and of its mirror image. */
    static ImageHashes[] ofRegionAndMirror(GreyPlane grey, BorderTrim.Region r) {
        GreyPlane a = grey.resample(r.x0(), r.y0(), r.x1(), r.y1(), 8, 8);
        GreyPlane d = grey.resample(r.x0(), r.y0(), r.x1(), r.y1(), 9, 8);
        GreyPlane p = grey.resample(r.x0(), r.y0(), r.x1(), r.y1(), 32, 32);
        // The box filter is symmetric, so mirroring the small grids equals hashing the mirror.
        return new ImageHashes[] {
                new ImageHashes(PerceptualHash.aHash(a), PerceptualHash.dHash(d), PerceptualHash.pHash(p)),
                new ImageHashes(PerceptualHash.aHash(a.mirrored()), PerceptualHash.dHash(d.mirrored()),
                        PerceptualHash.pHash(p.mirrored())),
        };
    }

    int aDistance(ImageHashes other) {
        return PerceptualHash.distance(aHash, other.aHash);
    }

    int dDistance(ImageHashes other) {
        return PerceptualHash.distance(dHash, other.dHash);
    }

    int pDistance(ImageHashes other) {
        return PerceptualHash.distance(pHash, other.pHash);
    }
}
