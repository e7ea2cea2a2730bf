package dev.tether.core.rl;

import static dev.tether.core.testing.NdAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tether.core.advantage.Gae;
import dev.tether.core.advantage.Whitening;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlLoss;
import dev.tether.core.kl.KlPenalizedReward;
import dev.tether.core.kl.KlStats;
import dev.tether.core.ppo.LossAggregation;
import dev.tether.core.ppo.PolicyLoss;
import dev.tether.core.ppo.ValueLoss;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each formula on numbers small enough to work by hand; the arithmetic is in the comments. */
class HandWorkedTest {
    private static final double LN2 = Math.log(2);
    private NDManager nd;

    @BeforeEach
    void open() {
        nd = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        nd.close();
    }

    private NDArray rows(float[]... r) {
        float[] flat = new float[r.length * r[0].length];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(r[i], 0, flat, i * r[0].length, r[0].length);
        }
        return nd.create(flat, new Shape(r.length, r[0].length));
    }

    @Test
    void klEstimatorsOnOneToken() {
        // π_θ(y) = 1/2, π_ref(y) = 1/4: logr = ln(1/4) − ln(1/2) = −ln 2.
        NDArray lp = nd.create(new float[] {(float) Math.log(0.5)});
        NDArray ref = nd.create(new float[] {(float) Math.log(0.25)});
        assertThat(KlEstimator.K1.perToken(lp, ref).getFloat()).isCloseTo((float) LN2, within(1e-6f));
        assertThat(KlEstimator.K2.perToken(lp, ref).getFloat()).isCloseTo((float) (0.5 * LN2 * LN2), within(1e-6f)); // 0.240227
        // k3 = e^{−ln 2} − 1 + ln 2 = 0.5 − 1 + 0.693147 = 0.193147
        assertThat(KlEstimator.K3.perToken(lp, ref).getFloat()).isCloseTo((float) (LN2 - 0.5), within(1e-6f));
        assertThat(KlEstimator.ABS.perToken(lp, ref).getFloat()).isCloseTo((float) LN2, within(1e-6f));
        // Swapped (π_θ below π_ref): k1 turns negative, k3 and abs stay positive.
        assertThat(KlEstimator.K1.perToken(ref, lp).getFloat()).isCloseTo((float) -LN2, within(1e-6f));
        assertThat(KlEstimator.K3.perToken(ref, lp).getFloat()).isCloseTo((float) (1 - LN2), within(1e-6f)); // 2 − 1 − ln 2
    }

    @Test
    void klUnitsAndRewardPlacement() {
        NDArray mask = rows(new float[] {1, 1, 1}, new float[] {1, 0, 0});
        NDArray kl = rows(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 9, 9});
        KlStats s = KlStats.of(kl, mask);
        assertThat(s.klSeq()).isCloseTo(0.55, within(1e-6)); // (0.6 + 0.5) / 2 samples
        assertThat(s.klToken()).isCloseTo(0.275, within(1e-6)); // 1.1 / 4 tokens
        // β = 0.5: −β·kl per token, score 1 and 2 added at each row's last real token.
        NDArray r = KlPenalizedReward.tokenRewards(nd.create(new float[] {1, 2}), kl, mask, 0.5);
        assertClose(r, new float[] {-0.05f, -0.1f, 0.85f, 1.75f, 0, 0}, 1e-6);
        // β = 0: the score alone.
        assertClose(KlPenalizedReward.tokenRewards(nd.create(new float[] {1, 2}), kl, mask, 0.0),
                new float[] {0, 0, 1, 2, 0, 0}, 0);
    }

    @Test
    void scoreShapingAndEosDetection() {
        NDArray ids = nd.create(new int[] {5, 2, 0, 5, 5, 5, 2, 7, 7}, new Shape(3, 3));
        // Row 2 holds EOS (id 2) only in its padding, so it does not count.
        NDArray mask = rows(new float[] {1, 1, 0}, new float[] {1, 1, 1}, new float[] {0, 0, 0});
        NDArray hasEos = KlPenalizedReward.hasEos(ids, mask, 2);
        assertThat(hasEos.toBooleanArray()).containsExactly(true, false, false);
        // clip to ±2 first: (3 → 2, −0.5, −5 → −2), then −1 where EOS is missing.
        NDArray shaped = KlPenalizedReward.shapeScores(nd.create(new float[] {3, -0.5f, -5}), hasEos, 1.0, 2.0);
        assertClose(shaped, new float[] {2, -1.5f, -3}, 1e-6);
    }

    @Test
    void gaeMonteCarloAndOneStep() {
        NDArray rewards = rows(new float[] {0, 0, 1}, new float[] {0, 1, 7}, new float[] {2, 3, 3});
        NDArray values = rows(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 9}, new float[] {0.5f, 4, 4});
        NDArray mask = rows(new float[] {1, 1, 1}, new float[] {1, 1, 0}, new float[] {1, 0, 0});
        // γ = λ = 1: A_t = (Σ future rewards) − V_t; what lies in padding is ignored.
        Gae.Result mc = Gae.compute(rewards, values, mask, 1, 1);
        assertClose(mc.advantages(), new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0, 1.5f, 0, 0}, 1e-6);
        assertClose(mc.returns(), new float[] {1, 1, 1, 1, 1, 0, 2, 0, 0}, 1e-6);
        // λ = 0: one-step TD, δ_t = r_t + V_{t+1} − V_t, and V after the last token is 0.
        Gae.Result td = Gae.compute(rewards, values, mask, 1, 0);
        assertClose(td.advantages(), new float[] {0, 0, 0.5f, 0, 0.5f, 0, 1.5f, 0, 0}, 1e-6);
        // γ = 0.5, λ = 1, row 0: A_2 = 0.5; A_1 = 0.5·0.5 − 0.5 + 0.5·0.5 = 0; A_0 = 0.25 − 0.5 + 0 = −0.25
        Gae.Result disc = Gae.compute(rewards, values, mask, 0.5, 1);
        assertClose(disc.advantages().get("0"), new float[] {-0.25f, 0f, 0.5f}, 1e-6);
    }

    @Test
    void whiteningScaleOnlyKeepsTheSign() {
        // x = [1, 3] (third masked): μ = 2, unbiased σ² = 2.
        NDArray x = rows(new float[] {1, 3, 100});
        NDArray mask = rows(new float[] {1, 1, 0});
        float s = (float) (1 / Math.sqrt(2 + 1e-8));
        assertClose(Whitening.whiten(x, mask, true), new float[] {-s, s, 0}, 1e-6);
        assertClose(Whitening.whiten(x, mask, false), new float[] {s, 3 * s, 0}, 1e-6);
    }

    @Test
    void clippedSurrogateAndDualClip() {
        // ratio = 1.5 on both tokens; A = +1 then −1; ε = 0.2.
        NDArray old = nd.create(new float[] {0, 0}, new Shape(1, 2));
        NDArray lp = nd.create(new float[] {(float) Math.log(1.5), (float) Math.log(1.5)}, new Shape(1, 2));
        NDArray adv = nd.create(new float[] {1, -1}, new Shape(1, 2));
        NDArray mask = nd.ones(new Shape(1, 2));
        PolicyLoss pl = PolicyLoss.clippedSurrogate(lp, old, adv, mask, 0.2);
        // A=+1: max(−1.5, −1.2) = −1.2 (clipped). A=−1: max(1.5, 1.2) = 1.5 (unclipped). Mean −0.15 + …
        assertThat(pl.loss().getFloat()).isCloseTo((-1.2f + 1.5f) / 2, within(1e-6f));
        assertThat(pl.clipfrac()).isCloseTo(0.5, within(1e-9));
        assertThat(pl.ratioMean()).isCloseTo(1.5, within(1e-6));
        // k3 of old vs new: (1.5 − 1) − ln 1.5 = 0.0945349
        assertThat(pl.approxKl()).isCloseTo(0.5 - Math.log(1.5), within(1e-6));

        // ratio = 5 under A = −1: plain loss 5, dual clip c = 3 caps it at 3.
        NDArray lp5 = nd.create(new float[] {(float) Math.log(5)}, new Shape(1, 1));
        NDArray neg = nd.create(new float[] {-1}, new Shape(1, 1));
        NDArray one = nd.ones(new Shape(1, 1));
        NDArray zero = nd.zeros(new Shape(1, 1));
        assertThat(PolicyLoss.clippedSurrogate(lp5, zero, neg, one, 0.2).loss().getFloat()).isCloseTo(5f, within(1e-5f));
        assertThat(PolicyLoss.clippedSurrogate(lp5, zero, neg, one, 0.2, 0.2, 3.0, LossAggregation.TOKEN_MEAN).loss().getFloat())
                .isCloseTo(3f, within(1e-5f));
    }

    @Test
    void clippedValueLossByHand() {
        // V_old = 0, V = 1, R = 2, ε_v = 0.2: V_clip = 0.2; max((1−2)², (0.2−2)²) = 3.24; ½ → 1.62
        NDArray v = nd.create(new float[] {1}, new Shape(1, 1));
        NDArray vOld = nd.zeros(new Shape(1, 1));
        NDArray ret = nd.create(new float[] {2}, new Shape(1, 1));
        ValueLoss vl = ValueLoss.clipped(v, vOld, ret, nd.ones(new Shape(1, 1)), 0.2);
        assertThat(vl.loss().getFloat()).isCloseTo(1.62f, within(1e-6f));
        assertThat(vl.clipfrac()).isEqualTo(1.0);
    }

    @Test
    void klLossGradientHasTheRightSignAndValue() {
        // Two valid tokens, one padded. d/dlogπ ½(logπ − logref)² / N = (logπ − logref)/N, N = 2.
        NDArray lp = nd.create(new float[] {-1, -2, -3}, new Shape(1, 3));
        NDArray ref = nd.create(new float[] {-1.5f, -1, -3}, new Shape(1, 3));
        NDArray mask = nd.create(new float[] {1, 1, 0}, new Shape(1, 3));
        lp.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(KlLoss.k3StraightThrough(lp, ref, mask));
        }
        // Token 0: π above π_ref → positive gradient, descent lowers logπ (towards the reference);
        // token 1: π below π_ref → negative gradient, descent raises it; padding: nothing.
        assertClose(lp.getGradient(), new float[] {0.25f, -0.5f, 0}, 1e-6);
    }

    @Test
    void allMaskedBatchGivesZerosNotNaN() {
        NDArray zeros = nd.zeros(new Shape(2, 3));
        NDArray x = nd.randomNormal(new Shape(2, 3));
        KlStats s = KlStats.of(x, zeros);
        assertThat(s.klSeq()).isZero();
        assertThat(s.klToken()).isZero();
        Gae.Result g = Gae.compute(x, x, zeros, 1, 0.95);
        assertClose(g.advantages(), zeros, 0);
        assertClose(Whitening.whiten(x, zeros, true), zeros, 0);
        PolicyLoss pl = PolicyLoss.clippedSurrogate(x, x, x, zeros, 0.2);
        assertThat(pl.loss().getFloat()).isZero();
        assertThat(pl.clipfrac()).isZero();
    }

    @Test
    void paddingWithNonFiniteGarbageDoesNotLeakIntoGae() {
        NDArray r = nd.create(new float[] {1, Float.NaN}, new Shape(1, 2));
        NDArray v = nd.create(new float[] {0, Float.POSITIVE_INFINITY}, new Shape(1, 2));
        NDArray m = nd.create(new float[] {1, 0}, new Shape(1, 2));
        assertClose(Gae.compute(r, v, m, 1, 1).advantages(), new float[] {1, 0}, 0);
    }
}
