package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.models.config.GPT2Config;
import dev.tether.models.config.LlamaConfig;
import dev.tether.models.config.ModelConfig;
import java.util.Map;

/**
 * A decoder-only language model as a function of its named weights. The forward pass is plain
 * NDArray code over {@link #parameters()}, so DJL's autograd trains the weights in place and a
 * checkpoint is a map from Hugging Face names to arrays.
 *
 * <p>Arrays returned by the forward methods are attached to the manager of {@code inputIds};
 * every intermediate is freed before they return.
 */
public interface CausalLM extends AutoCloseable {

  ModelConfig config();

  Parameters parameters();

  /**
   * The final hidden state (after the last norm, what a value head reads) for {@code inputIds}
   * [B,T]. {@code attentionMask} [B, past+T] (1 = token, 0 = padding) covers the cached tokens
   * too; {@code cache} may be null (no cache: past = 0). Returns [B,T,hidden].
   */
  NDArray hidden(NDArray inputIds, NDArray attentionMask, KvCache cache);

  /** The language-model head: [..., hidden] → [..., vocab]. */
  NDArray logits(NDArray hidden);

  /** Logits [B,T,V] without a cache. */
  default NDArray logits(NDArray inputIds, NDArray attentionMask) {
    try (NDArray h = hidden(inputIds, attentionMask, null)) {
      return logits(h);
    }
  }

  default KvCache newCache(NDManager manager) {
    return new KvCache(manager, config().numLayers());
  }

  /** A cache sized for {@code capacity} tokens (prompt + new), so generation never regrows it. */
  default KvCache newCache(NDManager manager, long capacity) {
    return new KvCache(manager, config().numLayers(), capacity);
  }

  @Override
  default void close() {
    parameters().close();
  }

  /** The Hugging Face parameter names and shapes this config implies, in forward order. */
  static Map<String, Shape> parameterShapes(ModelConfig config) {
    if (config instanceof GPT2Config c) {
      return Gpt2.parameterShapes(c);
    }
    return Llama.parameterShapes((LlamaConfig) config);
  }

  /** Wraps weights whose names and shapes were checked against {@link #parameterShapes}. */
  static CausalLM create(ModelConfig config, Parameters parameters) {
    if (config instanceof GPT2Config c) {
      return new Gpt2(c, parameters);
    }
    return new Llama((LlamaConfig) config, parameters);
  }

  /** A freshly initialised model (N(0, 0.02²) weights from a seeded Java RNG). */
  static CausalLM initialize(ModelConfig config, NDManager manager, long seed) {
    return create(config, Parameters.initialize(manager, parameterShapes(config), 0.02, seed));
  }
}
