package dev.tether.core.kl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tether.core.masked.Masked;

/**
 * KL in the reward (Ziegler et al. 2019, InstructGPT, TRL's default): every response token earns
 * {@code −β·kl_t}, and the reward model's score is added at the last real response token.
 * Padded positions earn exactly 0.
 */
public final class KlPenalizedReward {
    private KlPenalizedReward() {}

    /**
     * r_t = −β·kl_t + score·[t = last valid token].
     *
     * @param scores [B] the sequence-level scores (already clipped / penalised, see {@link
     *     #shapeScores})
     * @param klPerToken [B, T] per-token KL estimates (usually k1, as TRL and Ziegler use)
     * @param mask [B, T] right-padded response mask
     * @return [B, T] per-token rewards. A row without any response token has nowhere to take its
     *     score and gets all zeros; generation always yields at least one token, so this only
     *     happens with hand-made inputs.
     */
    public static NDArray tokenRewards(NDArray scores, NDArray klPerToken, NDArray mask, double beta) {
        requireBeta(beta);
        NDArray m = Masked.asFloat(mask);
        NDArray penalty = klPerToken.mul(m).mul((float) -beta);
        return penalty.add(lastTokenOneHot(m).mul(scores.reshape(-1, 1)));
    }

    /** [B, T] with a 1 at each row's last valid position (right padding: index Σmask − 1). */
    public static NDArray lastTokenOneHot(NDArray mask) {
        NDArray m = Masked.asFloat(mask);
        long t = m.getShape().get(1);
        NDArray lastIndex = m.sum(new int[] {1}).sub(1f).reshape(-1, 1);
        NDArray positions = m.getManager().arange(0f, (float) t).reshape(1, -1);
        return positions.eq(lastIndex).toType(DataType.FLOAT32, false);
    }

    /**
     * Sequence-score preprocessing, in this order: clip the reward model's output to
     * [−scoreClip, scoreClip] (when {@code scoreClip} is finite and positive), then subtract
     * {@code missingEosPenalty} from responses that never emitted EOS (TRL's
     * {@code missing_eos_penalty}). The penalty comes after the clip on purpose: it is a judgement
     * of the policy's output, not of the reward model's range, so the clip must not erase it.
     *
     * @param hasEos [B] boolean or 0/1: whether each response contains EOS
     */
    public static NDArray shapeScores(NDArray scores, NDArray hasEos, double missingEosPenalty, double scoreClip) {
        if (!Double.isFinite(missingEosPenalty) || missingEosPenalty < 0) {
            throw new IllegalArgumentException("missing_eos_penalty: expected a finite number ≥ 0, got " + missingEosPenalty);
        }
        if (Double.isNaN(scoreClip) || scoreClip <= 0) {
            throw new IllegalArgumentException("score_clip: expected a number > 0 (or infinity for none), got " + scoreClip);
        }
        NDArray s = Double.isInfinite(scoreClip) ? scores : scores.clip(-scoreClip, scoreClip);
        NDArray noEos = Masked.asFloat(hasEos).eq(0f).toType(DataType.FLOAT32, false);
        return s.sub(noEos.mul((float) missingEosPenalty));
    }

    /** [B] true where a response holds {@code eosTokenId} among its valid tokens. */
    public static NDArray hasEos(NDArray responseIds, NDArray mask, long eosTokenId) {
        NDArray isEos = responseIds.toType(DataType.INT64, false).eq(eosTokenId).toType(DataType.FLOAT32, false);
        return isEos.mul(Masked.asFloat(mask)).sum(new int[] {1}).gt(0f);
    }

    static void requireBeta(double beta) {
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException("beta: expected a finite number ≥ 0, got " + beta);
        }
    }
}
