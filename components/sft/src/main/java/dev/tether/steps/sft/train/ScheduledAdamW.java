package dev.tether.steps.sft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch.optim.AdamW's update with the learning rate given at each step, which a warm-up and a
 * cosine decay need; {@code dev.tether.models.train.AdamW} fixes it in its settings (it serves PPO,
 * whose rate is constant and whose moments must be saved). With weight decay 0 this is Adam. The
 * moments are not saved: a supervised run ends with a fresh policy, and PPO starts its own optimizer.
 */
public final class ScheduledAdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private long step;

    public ScheduledAdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight_decay: expected a finite number ≥ 0, got " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
    }

    /** torch's defaults: betas (0.9, 0.999), eps 1e-8. */
    public static ScheduledAdamW withDefaults(NDManager parent, double weightDecay) {
        return new ScheduledAdamW(parent, 0.9, 0.999, 1e-8, weightDecay);
    }

    /** One update of every parameter from its gradient at learning rate {@code lr}, then zeroes the gradients. */
    public void step(Map<String, NDArray> parameters, double lr) {
        step++;
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray w = e.getValue();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = w.getGradient();
                NDArray m = expAvg.computeIfAbsent(e.getKey(), k -> moment(w));
                NDArray v = expAvgSq.computeIfAbsent(e.getKey(), k -> moment(w));
                if (weightDecay > 0) {
                    w.muli((float) (1 - lr * weightDecay));
                }
                m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                NDArray denominator = v.sqrt().divi((float) bias2Sqrt).addi((float) eps);
                w.subi(m.div(denominator).muli((float) stepSize));
                // DJL's PyTorch gradients accumulate across backward passes.
                g.set(new NDIndex("..."), 0f);
            }
        }
    }

    private NDArray moment(NDArray w) {
        NDArray z = manager.zeros(w.getShape(), w.getDataType());
        NDScope.unregister(z);
        return z;
    }

    @Override
    public void close() {
        manager.close();
    }
}
