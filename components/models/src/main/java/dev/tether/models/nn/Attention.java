package dev.tether.models.nn;

import dev.tether.core.nd.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** The attention pieces GPT-2 and Llama share: positions, the mask, and the softmax itself. */
final class Attention {

  /** Added to the scores of keys a query may not see; exp() of it underflows to exactly 0. */
  private static final float MASKED = -1e9f;

  private Attention() {}

  /** Checks ids [B,T] against mask [B,past+T] and the vocabulary; returns T. */
  static long checkInputs(NDArray inputIds, NDArray attentionMask, long past, int vocabSize) {
    Shape ids = inputIds.getShape();
    Shape mask = attentionMask.getShape();
    if (ids.dimension() != 2 || ids.get(1) == 0) {
      throw new IllegalArgumentException("input_ids must be [batch, tokens], found " + ids);
    }
    if (mask.dimension() != 2 || mask.get(0) != ids.get(0) || mask.get(1) != past + ids.get(1)) {
      throw new IllegalArgumentException(
          "attention_mask must be [" + ids.get(0) + ", " + (past + ids.get(1)) + "] (cached " + past
              + " + new " + ids.get(1) + "), found " + mask);
    }
    long min = inputIds.min().toType(DataType.INT64, false).getLong();
    long max = inputIds.max().toType(DataType.INT64, false).getLong();
    if (min < 0 || max >= vocabSize) {
      throw new IllegalArgumentException(
          "input_ids must lie in [0, " + vocabSize + "), found [" + min + ", " + max + "]");
    }
    return ids.get(1);
  }

  /**
   * Position ids of the last {@code newTokens} columns of {@code attentionMask} [B,S]: with left
   * padding the first real token is position 0 (cumsum(mask) − 1, clamped at 0), as Hugging
   * Face's generate does. Returns int64 [B,newTokens].
   */
  static NDArray positions(NDArray attentionMask, long newTokens) {
    long s = attentionMask.getShape().get(1);
    NDArray pos = attentionMask.toType(DataType.INT64, false).cumSum(1).sub(1).maximum(0);
    return s == newTokens ? pos : pos.get(new NDIndex(":, {}:", s - newTokens));
  }

  /**
   * Additive mask [B,1,T,S] for T new queries over S = past + T keys: query i (at absolute
   * index past + i) sees key j when j ≤ past + i and the key is not padding. Built from arange and
   * a comparison because DJL has no tril().
   */
  static NDArray bias(NDArray attentionMask, long newTokens) {
    NDManager m = attentionMask.getManager();
    long b = attentionMask.getShape().get(0);
    long s = attentionMask.getShape().get(1);
    long past = s - newTokens;
    if (newTokens == 1) {
      // A sampling step: the one query is the last position and sees every key; only padding is masked.
      NDArray allowed = attentionMask.toType(DataType.BOOLEAN, false).toType(DataType.FLOAT32, false);
      return allowed.sub(1f).mul(-MASKED).reshape(b, 1, 1, s);
    }
    NDArray queryIndex = m.arange(past, s, 1, DataType.INT64).reshape(newTokens, 1);
    NDArray keyIndex = m.arange(0, s, 1, DataType.INT64).reshape(1, s);
    NDArray causal = keyIndex.lte(queryIndex); // [T,S]
    NDArray notPad = attentionMask.toType(DataType.BOOLEAN, false).reshape(b, 1, 1, s);
    NDArray allowed = notPad.logicalAnd(causal.reshape(1, 1, newTokens, s)); // [B,1,T,S]
    return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED);
  }

  /** softmax(q kᵀ / √d + bias) v, with q [B,H,T,d], k and v [B,H,S,d], bias [B,1,T,S]. */
  static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
    long d = q.getShape().get(3);
    // In place on the fresh product: autograd keeps q and k for matmul's gradient, not its output.
    NDArray scores = Scalars.times(q.matMul(k.swapAxes(2, 3)), 1.0 / Math.sqrt(d)).addi(bias);
    return scores.softmax(-1).matMul(v);
  }

  /** [B,T,H·d] → [B,H,T,d]. */
  static NDArray splitHeads(NDArray x, long heads) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
  }

  /** [B,H,T,d] → [B,T,H·d]. */
  static NDArray mergeHeads(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
  }
}
