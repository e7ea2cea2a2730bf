package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PPO critic on a shared trunk: one scalar per position from the final hidden state, named as
 * in TRL's AutoModelForCausalLMWithValueHead ({@code v_head.summary.weight} [1,D],
 * {@code v_head.summary.bias} [1]). Stored apart from the policy, in value_head.safetensors, so the
 * policy folder stays a plain Hugging Face checkpoint.
 */
public final class ValueHead implements AutoCloseable {

  public static final String WEIGHT = "v_head.summary.weight";
  public static final String BIAS = "v_head.summary.bias";

  private final Parameters params;

  public ValueHead(Parameters params) {
    this.params = params;
  }

  public static Map<String, Shape> parameterShapes(int hiddenSize) {
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put(WEIGHT, new Shape(1, hiddenSize));
    s.put(BIAS, new Shape(1));
    return s;
  }

  public static ValueHead initialize(NDManager manager, int hiddenSize, long seed) {
    return new ValueHead(Parameters.initialize(manager, parameterShapes(hiddenSize), 0.02, seed));
  }

  public Parameters parameters() {
    return params;
  }

  /** hidden [B,T,D] → values [B,T], attached to hidden's manager. */
  public NDArray values(NDArray hidden) {
    return Scoped.keepOne(hidden.getManager(),
        () -> Linear.linear(hidden, params.get(WEIGHT), params.get(BIAS)).singletonOrThrow().squeeze(-1));
  }

  @Override
  public void close() {
    params.close();
  }
}
