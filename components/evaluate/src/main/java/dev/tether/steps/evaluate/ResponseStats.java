package dev.tether.steps.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Diversity and length of a batch of responses, for any tokenizer: the definitions of the demo
 * task's {@code TextMetrics} (which are tied to the review language's EOS id), with the policy's
 * EOS id given. A response's words are its tokens before the first EOS.
 *
 * @param distinct1 distinct words ÷ all words over the batch (Li et al. 2016); 0 without words
 * @param distinct2 distinct word bigrams ÷ all bigrams, never across responses
 * @param repetition fraction of words equal to the word before them ("nice nice nice": 2 of 3)
 * @param meanLength tokens up to and including the first EOS (all when there is none): what a
 *     sequence KL sums over
 * @param eosRate fraction of responses that end with an EOS
 */
record ResponseStats(double distinct1, double distinct2, double repetition, double meanLength, double eosRate) {

    static ResponseStats of(List<int[]> responses, int eos) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("responses: expected at least one, found none");
        }
        List<int[]> words = new ArrayList<>();
        long tokens = 0;
        int ended = 0;
        for (int[] r : responses) {
            int end = firstEos(r, eos);
            words.add(Arrays.copyOf(r, end < 0 ? r.length : end));
            tokens += end < 0 ? r.length : end + 1;
            ended += end < 0 ? 0 : 1;
        }
        return new ResponseStats(distinct(words, 1), distinct(words, 2), repetition(words), (double) tokens / responses.size(),
                (double) ended / responses.size());
    }

    static double distinct(List<int[]> words, int n) {
        Set<List<Integer>> seen = new HashSet<>();
        long total = 0;
        for (int[] w : words) {
            for (int i = 0; i + n <= w.length; i++) {
                List<Integer> gram = new ArrayList<>(n);
                for (int j = i; j < i + n; j++) {
                    gram.add(w[j]);
                }
                seen.add(gram);
                total++;
            }
        }
        return total == 0 ? 0 : (double) seen.size() / total;
    }

    static double repetition(List<int[]> words) {
        long pairs = 0;
        long repeats = 0;
        for (int[] w : words) {
            for (int i = 1; i < w.length; i++) {
                pairs++;
                repeats += w[i] == w[i - 1] ? 1 : 0;
            }
        }
        return pairs == 0 ? 0 : (double) repeats / pairs;
    }

    private static int firstEos(int[] r, int eos) {
        for (int i = 0; i < r.length; i++) {
            if (r[i] == eos) {
                return i;
            }
        }
        return -1;
    }
}
