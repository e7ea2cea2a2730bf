package dev.tether.models.onnx;

import dev.tether.core.formats.RolloutBatch;
import java.util.Arrays;

/**
 * A rectangular batch of token ids and their attention mask (1 = token, 0 = padding), row-major
 * [batch, sequence], as the rollout artifact stores them.
 */
public record TokenBatch(int batch, int sequence, long[] inputIds, long[] attentionMask) {

  public TokenBatch {
    if (batch < 1 || sequence < 1) {
      throw new IllegalArgumentException(
          "a token batch needs at least one row and one column, found [" + batch + ", " + sequence + "]");
    }
    long n = (long) batch * sequence;
    if (inputIds.length != n || attentionMask.length != n) {
      throw new IllegalArgumentException("input_ids (" + inputIds.length + " values) and attention_mask ("
          + attentionMask.length + ") must both hold batch·sequence = " + n + " values");
    }
    for (int i = 0; i < attentionMask.length; i++) {
      if (attentionMask[i] != 0 && attentionMask[i] != 1) {
        throw new IllegalArgumentException("attention_mask[" + i / sequence + ", " + i % sequence
            + "] is " + attentionMask[i] + ", expected 0 or 1");
      }
      if (inputIds[i] < 0) {
        throw new IllegalArgumentException("input_ids[" + i / sequence + ", " + i % sequence
            + "] is " + inputIds[i] + ", expected a token id ≥ 0");
      }
    }
    inputIds = inputIds.clone();
    attentionMask = attentionMask.clone();
  }

  public static TokenBatch of(long[][] inputIds, long[][] attentionMask) {
    if (inputIds.length != attentionMask.length || inputIds.length == 0) {
      throw new IllegalArgumentException("input_ids has " + inputIds.length + " rows, attention_mask "
          + attentionMask.length + "; expected the same number, at least one");
    }
    int t = inputIds[0].length;
    for (int b = 0; b < inputIds.length; b++) {
      if (inputIds[b].length != t || attentionMask[b].length != t) {
        throw new IllegalArgumentException("row " + b + " has " + inputIds[b].length + " ids and "
            + attentionMask[b].length + " mask values, expected " + t + " (rows must be padded to one length)");
      }
    }
    return new TokenBatch(inputIds.length, t, flatten(inputIds), flatten(attentionMask));
  }

  /**
   * A rollout's rows as every ONNX scorer reads them (reward model, reference): the left-padded
   * query, then the right-padded response, one mask over both — padding sits at both ends and in
   * the middle of a row, and positions come from the mask, so every row scores as if unpadded.
   */
  public static TokenBatch queryThenResponse(RolloutBatch r) {
    int ql = r.queryLength();
    int rl = r.responseLength();
    int t = ql + rl;
    long[] ids = new long[r.batch() * t];
    long[] mask = new long[r.batch() * t];
    for (int b = 0; b < r.batch(); b++) {
      for (int j = 0; j < ql; j++) {
        ids[b * t + j] = r.queryIds()[b * ql + j];
        mask[b * t + j] = r.queryMask()[b * ql + j];
      }
      for (int j = 0; j < rl; j++) {
        ids[b * t + ql + j] = r.responseIds()[b * rl + j];
        mask[b * t + ql + j] = r.responseMask()[b * rl + j];
      }
    }
    return new TokenBatch(r.batch(), t, ids, mask);
  }

  /** Rows [from, to) as their own batch. */
  public TokenBatch rows(int from, int to) {
    return new TokenBatch(to - from, sequence,
        Arrays.copyOfRange(inputIds, from * sequence, to * sequence),
        Arrays.copyOfRange(attentionMask, from * sequence, to * sequence));
  }

  public long id(int row, int column) {
    return inputIds[row * sequence + column];
  }

  /** Position ids as the exported graphs compute them: max(cumsum(mask) − 1, 0) per row. */
  public long[] positionIds() {
    long[] pos = new long[inputIds.length];
    for (int b = 0; b < batch; b++) {
      long seen = 0;
      for (int t = 0; t < sequence; t++) {
        seen += attentionMask[b * sequence + t];
        pos[b * sequence + t] = Math.max(seen - 1, 0);
      }
    }
    return pos;
  }

  @Override
  public long[] inputIds() {
    return inputIds.clone();
  }

  @Override
  public long[] attentionMask() {
    return attentionMask.clone();
  }

  private static long[] flatten(long[][] rows) {
    return Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
  }
}
