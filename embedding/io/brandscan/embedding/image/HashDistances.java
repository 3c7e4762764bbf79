package io.brandscan.embedding.image;

/**
 * Hamming distances between a reference's fingerprint and a candidate's, for the pairing that
 * matched best (the smallest total): whole images or border-trimmed ones, candidate as it is
 * or mirrored. Each distance is 0..64 (pHash 0..63); smaller is more similar.
 *
 * @param aHash    distance of the 8x8 mean hashes
 * @param dHash    distance of the 9x8 gradient hashes
 * @param pHash    distance of the DCT hashes
 * @param mirrored true when the candidate matched as a horizontal mirror image
 * @param trimmed  true when the border-trimmed views matched better than the whole images
 */
public record HashDistances(int aHash, int dHash, int pHash, boolean mirrored, boolean trimmed) {

    public HashDistances {
        if (aHash < 0 || aHash > 64 || dHash < 0 || dHash > 64 || pHash < 0 || pHash > 64) {
            throw new IllegalArgumentException("Hamming distances are 0..64: " + aHash + "/" + dHash + "/" + pHash);
        }
    }

    /** The three distances added up, 0..192: how the best pairing is chosen. */
    public int total() {
        return aHash + dHash + pHash;
    }
}
