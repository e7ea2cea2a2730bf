package dev.tether.models.generate;

import java.util.Arrays;

/**
 * A batch of sampled responses in the rollout artifact's layout (DESIGN.md, 5), flat row-major:
 * queries left-padded to {@code queryLength}, responses right-padded to {@code responseLength}.
 *
 * @param logprobs per response token, under softmax(logits / temperature); 0 where masked
 */
public record Generation(
    int batch,
    int queryLength,
    int responseLength,
    int[] queryIds,
    int[] queryMask,
    int[] responseIds,
    int[] responseMask,
    float[] logprobs) {

  /** Row {@code b}'s response tokens, without padding. */
  public int[] response(int b) {
    int n = 0;
    while (n < responseLength && responseMask[b * responseLength + n] == 1) {
      n++;
    }
    return Arrays.copyOfRange(responseIds, b * responseLength, b * responseLength + n);
  }

  /** Row {@code b}'s log-probs of {@link #response(int)}. */
  public float[] responseLogprobs(int b) {
    return Arrays.copyOfRange(logprobs, b * responseLength, b * responseLength + response(b).length);
  }
}
