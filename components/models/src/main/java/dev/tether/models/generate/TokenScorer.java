package dev.tether.models.generate;

import dev.tether.core.nd.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Scoped;
import dev.tether.models.nn.ValueHead;

/**
 * Teacher-forced scoring of given responses: per response token, its log-probability and the
 * entropy of the distribution it was drawn from, and the critic's value, in one forward pass.
 * Differentiable: inside a GradientCollector the results carry the graph back to the weights.
 *
 * <p>Temperature follows TRL: the distribution is softmax(logits / temperature), the same scaling
 * {@link Generator} reports the sampled tokens' log-probs under, so scoring a rollout with the
 * temperature it was sampled at reproduces its log-probs.
 */
public final class TokenScorer {

  private TokenScorer() {}

  /**
   * Log-probs, entropy and values (null without a value head) of the response tokens, each
   * [B,N], zero where {@code responseMask} is 0.
   */
  public record Scores(NDArray logprobs, NDArray entropy, NDArray values) {}

  /**
   * @param queryIds [B,P] left-padded prompts, with {@code queryMask} [B,P]
   * @param responseIds [B,N] right-padded responses, with {@code responseMask} [B,N]
   * @param valueHead may be null
   */
  public static Scores score(
      CausalLM model,
      ValueHead valueHead,
      NDArray queryIds,
      NDArray queryMask,
      NDArray responseIds,
      NDArray responseMask,
      float temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, found " + temperature);
    }
    long p = queryIds.getShape().get(1);
    long n = responseIds.getShape().get(1);
    if (p < 1 || n < 1) {
      throw new IllegalArgumentException("query and response need at least one column each, found "
          + queryIds.getShape() + " and " + responseIds.getShape());
    }
    if (!queryMask.getShape().equals(queryIds.getShape()) || !responseMask.getShape().equals(responseIds.getShape())) {
      throw new IllegalArgumentException("masks must match their ids: query " + queryIds.getShape() + " vs "
          + queryMask.getShape() + ", response " + responseIds.getShape() + " vs " + responseMask.getShape());
    }
    NDList out = Scoped.keep(queryIds.getManager(), () -> {
      NDArray ids = queryIds.toType(DataType.INT64, false).concat(responseIds.toType(DataType.INT64, false), 1);
      NDArray mask = queryMask.toType(DataType.INT64, false).concat(responseMask.toType(DataType.INT64, false), 1);
      NDArray hidden = model.hidden(ids, mask, null); // [B,P+N,D]
      // Position P−1+j predicts response token j.
      NDArray predicting = hidden.get(new NDIndex(":, {}:{}, :", p - 1, p + n - 1)); // [B,N,D]
      NDArray logits = model.logits(predicting); // [B,N,V]
      NDArray logp = (temperature == 1f ? logits : Scalars.over(logits, temperature)).logSoftmax(-1);
      NDArray valid = responseMask.toType(DataType.FLOAT32, false);
      NDArray tokenLogp = logp.gather(responseIds.toType(DataType.INT64, false).expandDims(-1), -1).squeeze(-1);
      NDArray entropy = logp.exp().mul(logp).sum(new int[] {-1}).neg();
      NDList r = new NDList(tokenLogp.mul(valid), entropy.mul(valid));
      if (valueHead != null) {
        r.add(valueHead.values(predicting).mul(valid));
      }
      return r;
    });
    return new Scores(out.get(0), out.get(1), out.size() > 2 ? out.get(2) : null);
  }
}
