package dev.tether.tasks.reviews;

import java.util.Arrays;

/** Test shorthand: a sentence's ids from its words, so a hand-worked case reads as English. */
final class Sentences {

    private Sentences() {}

    /** "[BOS] text [EOS]". */
    static int[] ids(String text) {
        int[] words = ReviewTokenizer.encode(text, true);
        int[] out = Arrays.copyOf(words, words.length + 1);
        out[words.length] = ReviewVocab.EOS;
        return out;
    }

    /** The words as ids, no BOS, no EOS. */
    static int[] words(String text) {
        return ReviewTokenizer.encode(text, false);
    }

    static int[] concat(int[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
