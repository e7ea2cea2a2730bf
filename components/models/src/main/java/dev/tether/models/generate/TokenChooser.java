package dev.tether.models.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws one token from a row of log-probs after top-k and top-p filtering, as transformers does. */
final class TokenChooser {

  private TokenChooser() {}

  /**
   * @param logp log softmax(logits / T), row {@code offset .. offset + vocab}
   * @return the chosen token id
   */
  static int sample(float[] logp, int offset, int vocab, SamplingParams p, SplittableRandom rng) {
    boolean filtering = (p.topK() > 0 && p.topK() < vocab) || p.topP() < 1;
    // Without filtering the order does not matter; skip the sort.
    int[] kept = filtering ? byDescendingLogprob(logp, offset, vocab) : identity(vocab);
    int n = vocab;
    if (p.topK() > 0 && p.topK() < vocab) {
      // Ties with the k-th value stay, like transformers' TopKLogitsWarper.
      float kth = logp[offset + kept[p.topK() - 1]];
      n = p.topK();
      while (n < vocab && logp[offset + kept[n]] == kth) {
        n++;
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, logp[offset + kept[i]]);
    }
    double[] weight = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = Math.exp(logp[offset + kept[i]] - max);
      sum += weight[i];
    }
    if (p.topP() < 1) {
      // Keep the smallest prefix whose probability (renormalised after top-k) reaches top_p:
      // a token stays while the mass before it is below top_p, so at least one always stays.
      double before = 0;
      int keep = 0;
      while (keep < n && before < p.topP() * sum) {
        before += weight[keep];
        keep++;
      }
      n = keep;
      sum = before;
    }
    double u = rng.nextDouble() * sum;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += weight[i];
      if (u < acc) {
        return kept[i];
      }
    }
    return kept[n - 1]; // u within rounding of sum
  }

  private static int[] identity(int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  /**
   * Token ids sorted by log-prob, highest first, ties by lower id: one primitive sort of keys
   * that pack (order-reversed float bits, id) into a long.
   */
  static int[] byDescendingLogprob(float[] logp, int offset, int vocab) {
    long[] keys = new long[vocab];
    for (int i = 0; i < vocab; i++) {
      int bits = Float.floatToIntBits(logp[offset + i]);
      int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // monotone in the float's value
      keys[i] = ((long) ~ascending << 32) | i; // ~ reverses the order: largest value first
    }
    Arrays.sort(keys);
    int[] ids = new int[vocab];
    for (int i = 0; i < vocab; i++) {
      ids[i] = (int) keys[i];
    }
    return ids;
  }
}
