package dev.tether.steps.rewardtrain;

import dev.tether.core.nd.Scalars;
import ai.djl.ndarray.NDArray;

/** The reward-model losses, as the formulas they are. Means over the batch. */
final class RewardLosses {
    private RewardLosses() {}

    /** log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so that large |x| neither overflows nor loses the linear part. */
    static NDArray softplus(NDArray x) {
        return Scalars.atLeast(x, 0).add(x.abs().neg().exp().add(1f).log());
    }

    /** Bradley–Terry: mean of −log σ(r_chosen − r_rejected) = softplus(r_rejected − r_chosen). */
    static NDArray bradleyTerry(NDArray chosen, NDArray rejected) {
        return softplus(rejected.sub(chosen)).mean();
    }

    /** Logistic loss for labels y ∈ {0, 1}: mean of −y·log σ(r) − (1 − y)·log(1 − σ(r)) = softplus(r) − y·r. */
    static NDArray logistic(NDArray scores, NDArray labels) {
        return softplus(scores).sub(labels.mul(scores)).mean();
    }

    /** λ·‖w‖². */
    static NDArray l2(NDArray w, double lambda) {
        return Scalars.times(w.square().sum(), lambda);
    }
}
