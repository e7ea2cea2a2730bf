package dev.tether.core.advantage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.tether.core.masked.Masked;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over right-padded token sequences:
 *
 * <pre>
 *   δ_t = r_t + γ·V_{t+1}·m_{t+1} − V_t
 *   A_t = δ_t + γλ·m_{t+1}·A_{t+1}
 *   R_t = A_t + V_t
 * </pre>
 *
 * m is the response mask, so the value after the last real token is 0 (the episode ends there)
 * and nothing flows back from padding. Padded positions of A and R are 0.
 */
public final class Gae {
    private Gae() {}

    /** Advantages and returns (the value targets), both [B, T]. */
    public record Result(NDArray advantages, NDArray returns) {}

    /**
     * @param rewards [B, T] per-token rewards
     * @param values [B, T] V(s_t) from the critic at sampling time
     * @param mask [B, T] response mask (right padding)
     */
    public static Result compute(NDArray rewards, NDArray values, NDArray mask, double gamma, double lambda) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma: expected a number in [0, 1], got " + gamma);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda: expected a number in [0, 1], got " + lambda);
        }
        NDArray m = Masked.asFloat(mask);
        NDArray r = Masked.zeroPadding(rewards, m);
        NDArray v = Masked.zeroPadding(values, m);
        int steps = (int) r.getShape().get(1);
        NDArray[] advantages = new NDArray[steps];
        NDArray next = r.get(":, 0").zerosLike(); // A_{T} = 0
        NDArray nextValue = next;
        NDArray nextMask = next;
        // The recursion runs backwards in time, one column per step; the batch stays vectorised.
        for (int t = steps - 1; t >= 0; t--) {
            String col = ":, " + t;
            NDArray delta = r.get(col).add(nextValue.mul(nextMask).mul((float) gamma)).sub(v.get(col));
            next = delta.add(next.mul(nextMask).mul((float) (gamma * lambda)));
            advantages[t] = next;
            nextValue = v.get(col);
            nextMask = m.get(col);
        }
        NDArray a = NDArrays.stack(new NDList(advantages), 1).mul(m);
        return new Result(a, a.add(v).mul(m));
    }
}
