package dev.tether.cli.bandit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.tether.core.advantage.Gae;
import dev.tether.core.advantage.Whitening;
import dev.tether.core.beta.BetaController;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlPenalizedReward;
import dev.tether.core.kl.KlStats;
import dev.tether.core.ppo.PolicyLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * KL-penalised PPO on a {@link KlBandit}, built from tether's RL core exactly as the ppo-update step
 * will use it: k1 in the reward (−β·kl per token, score at the last token), GAE, whitening, the
 * clipped surrogate, and a β controller updated from each batch's KL. The policy is a vector of
 * logits over the replies; responses are one token long.
 */
public final class BanditPpo {

    /** PPO settings; defaults as in TRL's PPOConfig where they apply. */
    public record Settings(int iterations, int batchSize, int epochs, int minibatches, double clipEps, double learningRate, long seed) {
        public static Settings defaults(long seed) {
            return new Settings(150, 256, 4, 4, 0.2, 0.01, seed);
        }
    }

    /** One iteration as measured: β used, KL sampled (k1, k3) and exact, proxy and gold of the policy. */
    public record Iteration(int index, double beta, double klK1, double klK3, double klExact, double proxy, double gold, double clipfrac, double approxKl) {}

    public record Result(List<Iteration> history, double[] finalProbs, BetaController finalController) {}

    private final KlBandit bandit;
    private final Settings settings;

    public BanditPpo(KlBandit bandit, Settings settings) {
        this.bandit = bandit;
        this.settings = settings;
    }

    public Result train(BetaController controller, Consumer<Iteration> progress) {
        SplittableRandom rng = new SplittableRandom(settings.seed());
        int k = bandit.size();
        List<Iteration> history = new ArrayList<>();
        try (NDManager nd = NDManager.newBaseManager()) {
            float[] refLogits = new float[k];
            for (int i = 0; i < k; i++) {
                refLogits[i] = (float) Math.log(bandit.refProbs()[i]);
            }
            NDArray theta = nd.create(refLogits); // the policy starts as the reference
            theta.setRequiresGradient(true);
            NDArray refLogprobAll = nd.create(refLogits).logSoftmax(0);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) settings.learningRate())).build();

            for (int it = 0; it < settings.iterations(); it++) {
                try (NDManager step = nd.newSubManager()) {
                    double[] probs = probabilities(theta);
                    int n = settings.batchSize();
                    long[] ids = new long[n];
                    for (int s = 0; s < n; s++) {
                        ids[s] = sample(probs, rng);
                    }
                    NDArray idx = step.create(ids, new Shape(n, 1));
                    NDArray mask = step.ones(new Shape(n, 1));
                    // Stored log-probs come from the same softmax that sampled: KL at iteration 0 is exactly 0.
                    NDArray oldLogprobs = theta.stopGradient().logSoftmax(0).get(idx);
                    NDArray refLogprobs = refLogprobAll.get(idx);
                    NDArray scores = step.create(gather(bandit.proxy(), ids));

                    NDArray klToken = KlEstimator.K1.perToken(oldLogprobs, refLogprobs);
                    KlStats klK1 = KlStats.of(klToken, mask);
                    KlStats klK3 = KlStats.of(KlEstimator.K3.perToken(oldLogprobs, refLogprobs), mask);
                    double beta = controller.beta();
                    NDArray rewards = KlPenalizedReward.tokenRewards(scores, klToken, mask, beta);
                    // No critic on a one-step bandit: V = 0, and whitening's mean shift is the baseline.
                    Gae.Result gae = Gae.compute(rewards, rewards.zerosLike(), mask, 1.0, 0.95);
                    NDArray advantages = Whitening.whiten(gae.advantages(), mask, true);

                    double clipfrac = 0;
                    double approxKl = 0;
                    int updates = 0;
                    int mb = n / settings.minibatches();
                    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                        int[] order = permutation(n, rng);
                        for (int b = 0; b < settings.minibatches(); b++) {
                            NDArray rows = step.create(slice(order, b * mb, mb));
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                NDArray logprobs = theta.logSoftmax(0).get(idx.get(rows));
                                PolicyLoss pl = PolicyLoss.clippedSurrogate(
                                        logprobs, oldLogprobs.get(rows), advantages.get(rows), mask.get(rows), settings.clipEps());
                                gc.backward(pl.loss());
                                clipfrac += pl.clipfrac();
                                approxKl += pl.approxKl();
                                updates++;
                            }
                            adam.update("theta", theta, theta.getGradient());
                            theta.getGradient().muli(0); // PyTorch accumulates .grad; each minibatch starts clean
                        }
                    }
                    double[] now = probabilities(theta);
                    Iteration record = new Iteration(it, beta, klK1.klSeq(), klK3.klSeq(), bandit.klToReference(now),
                            KlBandit.expectation(now, bandit.proxy()), KlBandit.expectation(now, bandit.gold()),
                            clipfrac / updates, approxKl / updates);
                    history.add(record);
                    progress.accept(record);
                    controller = controller.next(klK1, n);
                }
            }
            return new Result(history, probabilities(theta), controller);
        }
    }

    private static double[] probabilities(NDArray theta) {
        float[] p = theta.stopGradient().softmax(0).toType(DataType.FLOAT32, false).toFloatArray();
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i];
        }
        return out;
    }

    private static int sample(double[] probs, SplittableRandom rng) {
        double u = rng.nextDouble();
        double c = 0;
        for (int i = 0; i < probs.length; i++) {
            c += probs[i];
            if (u < c) {
                return i;
            }
        }
        return probs.length - 1;
    }

    private static float[] gather(double[] table, long[] ids) {
        float[] out = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (float) table[(int) ids[i]];
        }
        return out;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] slice(int[] a, int from, int length) {
        int[] out = new int[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }
}
