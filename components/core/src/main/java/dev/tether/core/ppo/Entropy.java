package dev.tether.core.ppo;

import ai.djl.ndarray.NDArray;

/** Entropy of the next-token distribution, H = −Σ_v p_v·log p_v, from logits [..., V]. */
public final class Entropy {
    private Entropy() {}

    /** Per position: [..., V] logits → [...] entropies in nats. */
    public static NDArray fromLogits(NDArray logits) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.exp().mul(logp).sum(new int[] {-1}).neg();
    }
}
