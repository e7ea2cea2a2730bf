package dev.tether.models.generate;

import dev.tether.models.config.GenerationConfig;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How {@link Generator} picks tokens. Sampling draws from softmax(logits / temperature) restricted
 * to the top-k tokens, then to the top-p nucleus (transformers' order); greedy takes the argmax.
 * Either way the reported log-probs are under the full softmax(logits / temperature) (TRL's
 * convention, what {@link TokenScorer} computes at the same temperature).
 *
 * @param topK 0 keeps every token
 * @param topP 1 keeps every token
 * @param stopTokenIds EOS and any other token that ends a response (included in it, mask 1)
 * @param padTokenId fills prompts on the left and finished responses on the right (mask 0)
 * @param seed the same seed, model and prompts give the same samples
 */
public record SamplingParams(
    int maxNewTokens,
    float temperature,
    int topK,
    double topP,
    boolean greedy,
    Set<Integer> stopTokenIds,
    int padTokenId,
    long seed) {

  public SamplingParams {
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be > 0, found " + maxNewTokens);
    }
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be > 0 (use greedy for argmax), found " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be ≥ 0, found " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must lie in (0, 1], found " + topP);
    }
    stopTokenIds = Set.copyOf(stopTokenIds);
  }

  /** Plain sampling at temperature 1, no stop token, pad 0. */
  public static SamplingParams sampling(int maxNewTokens, long seed) {
    return new SamplingParams(maxNewTokens, 1f, 0, 1.0, false, Set.of(), 0, seed);
  }

  /** A checkpoint's generation_config.json: do_sample, temperature, top_k, top_p, eos, pad. */
  public static SamplingParams from(GenerationConfig g, int maxNewTokens, long seed) {
    int pad = g.padTokenId().orElse(g.eosTokenIds().isEmpty() ? 0 : g.eosTokenIds().get(0));
    return new SamplingParams(maxNewTokens, (float) g.temperature(), g.topK(), g.topP(), !g.doSample(),
        Set.copyOf(g.eosTokenIds()), pad, seed);
  }

  public SamplingParams withGreedy(boolean greedy) {
    return new SamplingParams(maxNewTokens, temperature, topK, topP, greedy, stopTokenIds, padTokenId, seed);
  }

  public SamplingParams withTemperature(float t) {
    return new SamplingParams(maxNewTokens, t, topK, topP, greedy, stopTokenIds, padTokenId, seed);
  }

  public SamplingParams withTopK(int k) {
    return new SamplingParams(maxNewTokens, temperature, k, topP, greedy, stopTokenIds, padTokenId, seed);
  }

  public SamplingParams withTopP(double p) {
    return new SamplingParams(maxNewTokens, temperature, topK, p, greedy, stopTokenIds, padTokenId, seed);
  }

  public SamplingParams withStopTokens(Set<Integer> ids) {
    Set<Integer> all = new LinkedHashSet<>(stopTokenIds);
    all.addAll(ids);
    return new SamplingParams(maxNewTokens, temperature, topK, topP, greedy, all, padTokenId, seed);
  }

  public SamplingParams withPadToken(int id) {
    return new SamplingParams(maxNewTokens, temperature, topK, topP, greedy, stopTokenIds, id, seed);
  }

  public SamplingParams withSeed(long s) {
    return new SamplingParams(maxNewTokens, temperature, topK, topP, greedy, stopTokenIds, padTokenId, s);
  }
}
