package dev.tether.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tether.models.config.GPT2Config;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.KvCache;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autoregressive sampling for a batch of prompts of different lengths: prompts are left-padded
 * (positions come from the mask), each step feeds only the new token through the KV cache, and a
 * row stops at a stop token or after {@code maxNewTokens}.
 *
 * <p>Token choice happens in Java from the step's log-probs with one seeded RNG per row, so the
 * same seed gives the same samples whatever the engine's own RNG state.
 */
public final class Generator {

  private Generator() {}

  public static Generation generate(CausalLM model, List<int[]> prompts, SamplingParams params) {
    return generate(model, prompts, params, true);
  }

  /** {@code useCache = false} re-runs the whole sequence every step (for tests and benchmarks). */
  public static Generation generate(CausalLM model, List<int[]> prompts, SamplingParams params, boolean useCache) {
    int b = prompts.size();
    int vocab = model.config().vocabSize();
    int queryLength = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
    if (b == 0 || prompts.stream().anyMatch(p -> p.length == 0)) {
      throw new IllegalArgumentException("every prompt needs at least one token");
    }
    for (int[] p : prompts) {
      for (int id : p) {
        if (id < 0 || id >= vocab) {
          throw new IllegalArgumentException("prompt token " + id + " outside the vocabulary [0, " + vocab + ")");
        }
      }
    }
    int maxNew = params.maxNewTokens();
    int total = queryLength + maxNew;
    if (model.config() instanceof GPT2Config c && total > c.nPositions()) {
      throw new IllegalArgumentException("prompt (" + queryLength + ") + maxNewTokens (" + maxNew
          + ") exceeds GPT-2's n_positions " + c.nPositions());
    }

    // The whole sequence, [B,total], filled as it grows; the query part left-padded.
    int[] ids = new int[b * total];
    int[] mask = new int[b * total];
    Arrays.fill(ids, params.padTokenId());
    for (int r = 0; r < b; r++) {
      int[] p = prompts.get(r);
      int pad = queryLength - p.length;
      System.arraycopy(p, 0, ids, r * total + pad, p.length);
      Arrays.fill(mask, r * total + pad, r * total + queryLength, 1);
    }
    int[] responseIds = new int[b * maxNew];
    int[] responseMask = new int[b * maxNew];
    float[] logprobs = new float[b * maxNew];
    Arrays.fill(responseIds, params.padTokenId());

    SplittableRandom seeded = new SplittableRandom(params.seed());
    SplittableRandom[] rng = new SplittableRandom[b];
    for (int r = 0; r < b; r++) {
      rng[r] = seeded.split();
    }
    boolean[] done = new boolean[b];
    int steps = 0;
    try (NDManager m = model.parameters().manager().newSubManager();
        KvCache cache = useCache ? model.newCache(m, total) : null) {
      while (steps < maxNew && !allDone(done)) {
        int len = queryLength + steps;
        float[] logp = stepLogprobs(model, m, ids, mask, b, total, len, steps > 0 && useCache ? len - 1 : 0,
            cache, params.temperature());
        for (int r = 0; r < b; r++) {
          int at = r * maxNew + steps;
          if (done[r]) {
            continue; // pad, mask 0, log-prob 0
          }
          int token = params.greedy() ? argmax(logp, r * vocab, vocab) : TokenChooser.sample(logp, r * vocab, vocab, params, rng[r]);
          responseIds[at] = token;
          responseMask[at] = 1;
          logprobs[at] = logp[r * vocab + token];
          ids[r * total + len] = token;
          mask[r * total + len] = 1;
          done[r] = params.stopTokenIds().contains(token);
        }
        steps++;
      }
    }
    return new Generation(b, queryLength, steps,
        columns(ids, b, total, 0, queryLength), columns(mask, b, total, 0, queryLength),
        columns(responseIds, b, maxNew, 0, steps), columns(responseMask, b, maxNew, 0, steps),
        columns(logprobs, b, maxNew, steps));
  }

  /**
   * log softmax(logits / T) of the next token, [B·V] row-major: feeds columns [from, len) of the
   * sequence (only the newest with a warm cache) with the mask of all len columns.
   */
  private static float[] stepLogprobs(CausalLM model, NDManager parent, int[] ids, int[] mask, int b, int total,
      int len, int from, KvCache cache, float temperature) {
    try (NDManager step = parent.newSubManager()) {
      NDArray stepIds = step.create(columns(ids, b, total, from, len), new Shape(b, len - from));
      NDArray stepMask = step.create(columns(mask, b, total, 0, len), new Shape(b, len));
      NDArray hidden = model.hidden(stepIds, stepMask, cache);
      NDArray last = hidden.get(new NDIndex(":, -1:, :")); // [B,1,D]: only the next token's logits
      NDArray logits = model.logits(last);
      return (temperature == 1f ? logits : logits.div(temperature)).logSoftmax(-1).toFloatArray();
    }
  }

  private static boolean allDone(boolean[] done) {
    for (boolean d : done) {
      if (!d) {
        return false;
      }
    }
    return true;
  }

  static int argmax(float[] x, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (x[offset + i] > x[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  private static int[] columns(int[] a, int rows, int width, int from, int to) {
    int[] out = new int[rows * (to - from)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * width + from, out, r * (to - from), to - from);
    }
    return out;
  }

  private static float[] columns(float[] a, int rows, int width, int to) {
    float[] out = new float[rows * to];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * width, out, r * to, to);
    }
    return out;
  }
}
