package dev.tether.core.rl;

import static dev.tether.core.testing.NdAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tether.core.advantage.Gae;
import dev.tether.core.advantage.Whitening;
import dev.tether.core.beta.AdaptiveKlController;
import dev.tether.core.beta.BetaController;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlLoss;
import dev.tether.core.kl.KlPenalizedReward;
import dev.tether.core.kl.KlStats;
import dev.tether.core.kl.KlUnit;
import dev.tether.core.ppo.Entropy;
import dev.tether.core.ppo.ExplainedVariance;
import dev.tether.core.ppo.LossAggregation;
import dev.tether.core.ppo.PolicyLoss;
import dev.tether.core.ppo.ValueLoss;
import dev.tether.core.testing.Reference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RL core against values computed independently with PyTorch
 * (src/test/python/make_rl_reference.py → src/test/resources/reference/rl_reference.json). The
 * batch has a full row, a short row, a length-1 response and an all-masked row.
 */
class RlReferenceTest {
    private static final double TOL = 1e-5;
    private static final Reference REF = Reference.load("/reference/rl_reference.json");

    private NDManager nd;
    private NDArray mask;
    private NDArray logprobs;
    private NDArray refLogprobs;

    @BeforeEach
    void open() {
        nd = NDManager.newBaseManager();
        mask = in("mask");
        logprobs = in("logprobs");
        refLogprobs = in("ref_logprobs");
    }

    @AfterEach
    void close() {
        nd.close();
    }

    private NDArray in(String name) {
        return REF.array(nd, "inputs/" + name);
    }

    private NDArray ref(String path) {
        return REF.array(nd, path);
    }

    @Test
    void klEstimatorsPerToken() {
        assertClose(KlEstimator.K1.perToken(logprobs, refLogprobs), ref("kl/k1"), TOL);
        assertClose(KlEstimator.K2.perToken(logprobs, refLogprobs), ref("kl/k2"), TOL);
        assertClose(KlEstimator.K3.perToken(logprobs, refLogprobs), ref("kl/k3"), TOL);
        assertClose(KlEstimator.ABS.perToken(logprobs, refLogprobs), ref("kl/abs"), TOL);
    }

    @Test
    void klAggregatesInBothUnits() {
        for (String est : new String[] {"k1", "k3", "abs"}) {
            KlStats stats = KlStats.of(KlEstimator.parse("kl_estimator", est).perToken(logprobs, refLogprobs), mask);
            assertThat(stats.klSeq()).as(est + " kl_seq").isCloseTo(REF.scalar("kl/stats_" + est + "/kl_seq"), within(TOL));
            assertThat(stats.klToken()).as(est + " kl_token").isCloseTo(REF.scalar("kl/stats_" + est + "/kl_token"), within(TOL));
            assertThat(stats.in(KlUnit.KL_SEQ)).isEqualTo(stats.klSeq());
        }
    }

    @Test
    void tokenRewardsWithShapedScores() {
        NDArray shaped = KlPenalizedReward.shapeScores(in("scores"), in("has_eos"), 1.0, 1.5);
        assertClose(shaped, ref("reward/shaped_scores"), TOL);
        NDArray k1 = KlEstimator.K1.perToken(logprobs, refLogprobs);
        assertClose(KlPenalizedReward.tokenRewards(shaped, k1, mask, 0.1), ref("reward/token_rewards"), TOL);
        assertClose(KlPenalizedReward.tokenRewards(in("scores"), k1, mask, 0.0), ref("reward/token_rewards_beta0"), TOL);
    }

    @Test
    void gaeAndWhitening() {
        NDArray rewards = ref("reward/token_rewards");
        NDArray values = in("values");
        Gae.Result g1 = Gae.compute(rewards, values, mask, 1.0, 0.95);
        assertClose(g1.advantages(), ref("gae/g1_l095/advantages"), TOL);
        assertClose(g1.returns(), ref("gae/g1_l095/returns"), TOL);
        Gae.Result g2 = Gae.compute(rewards, values, mask, 0.99, 0.9);
        assertClose(g2.advantages(), ref("gae/g099_l09/advantages"), TOL);
        assertClose(g2.returns(), ref("gae/g099_l09/returns"), TOL);
        assertClose(Whitening.whiten(g1.advantages(), mask, true), ref("gae/whiten_shift"), TOL);
        assertClose(Whitening.whiten(g1.advantages(), mask, false), ref("gae/whiten_scale_only"), TOL);
    }

    @Test
    void policyLossVariantsValueAndGradient() {
        NDArray adv = ref("gae/whiten_shift");
        NDArray old = in("logprobs");
        record Case(String name, double low, double high, double dual, LossAggregation agg) {}
        for (Case c : new Case[] {
            new Case("plain", 0.2, 0.2, Double.NaN, LossAggregation.TOKEN_MEAN),
            new Case("dual", 0.2, 0.2, 3.0, LossAggregation.TOKEN_MEAN),
            new Case("clip_higher", 0.2, 0.28, Double.NaN, LossAggregation.TOKEN_MEAN),
            new Case("seq_mean", 0.2, 0.2, Double.NaN, LossAggregation.SEQ_MEAN_TOKEN_MEAN)
        }) {
            String p = "policy_loss/" + c.name() + "/";
            NDArray grad = gradient(in("new_logprobs"), x -> {
                PolicyLoss pl = PolicyLoss.clippedSurrogate(x, old, adv, mask, c.low(), c.high(), c.dual(), c.agg());
                assertThat(pl.loss().getFloat()).as(c.name() + " loss").isCloseTo((float) REF.scalar(p + "loss"), within(1e-5f));
                assertThat(pl.clipfrac()).as(c.name() + " clipfrac").isCloseTo(REF.scalar(p + "clipfrac"), within(TOL));
                assertThat(pl.approxKl()).as(c.name() + " approx_kl").isCloseTo(REF.scalar(p + "approx_kl"), within(TOL));
                return pl.loss();
            });
            assertClose(grad, ref(p + "grad"), TOL);
        }
    }

    @Test
    void dualClipCapsTheLossOfExplodedRatiosUnderNegativeAdvantages() {
        NDArray adv = ref("gae/whiten_shift");
        NDArray big = ref("policy_loss/big_step/new_logprobs");
        double dual = PolicyLoss.clippedSurrogate(big, logprobs, adv, mask, 0.2, 0.2, 3.0, LossAggregation.TOKEN_MEAN).loss().getFloat();
        double none = PolicyLoss.clippedSurrogate(big, logprobs, adv, mask, 0.2).loss().getFloat();
        assertThat(dual).isCloseTo(REF.scalar("policy_loss/big_step/loss_dual"), within(1e-5));
        assertThat(none).isCloseTo(REF.scalar("policy_loss/big_step/loss_no_dual"), within(1e-5));
        assertThat(dual).isLessThan(none);
    }

    @Test
    void clippedValueLoss() {
        ValueLoss vl = ValueLoss.clipped(in("new_values"), in("values"), ref("gae/g1_l095/returns"), mask, 0.2);
        assertThat(vl.loss().getFloat()).isCloseTo((float) REF.scalar("value_loss/loss"), within(1e-5f));
        assertThat(vl.clipfrac()).isCloseTo(REF.scalar("value_loss/clipfrac"), within(TOL));
        ValueLoss plain = ValueLoss.clipped(in("new_values"), in("values"), ref("gae/g1_l095/returns"), mask, Double.POSITIVE_INFINITY);
        assertThat(plain.loss().getFloat()).isCloseTo((float) REF.scalar("value_loss/loss_noclip"), within(1e-5f));
        assertThat(plain.clipfrac()).isZero();
    }

    @Test
    void entropyAndExplainedVariance() {
        assertClose(Entropy.fromLogits(in("logits")), ref("entropy"), TOL);
        double ev = ExplainedVariance.of(in("values"), ref("gae/g1_l095/returns"), mask);
        assertThat(ev).isCloseTo(REF.scalar("explained_variance"), within(1e-5));
    }

    @Test
    void klLossValuesAndGradients() {
        NDArray gradK2 = gradient(logprobs, x -> {
            NDArray l = KlLoss.k2(x, refLogprobs, mask);
            assertThat(l.getFloat()).isCloseTo((float) REF.scalar("kl_loss/k2"), within(1e-6f));
            return l;
        });
        assertClose(gradK2, ref("kl_loss/grad_k2"), TOL);

        // Straight-through: k3's value, k2's gradient.
        NDArray gradSt = gradient(logprobs, x -> {
            NDArray l = KlLoss.k3StraightThrough(x, refLogprobs, mask);
            assertThat(l.getFloat()).isCloseTo((float) REF.scalar("kl_loss/k3"), within(1e-6f));
            return l;
        });
        assertClose(gradSt, ref("kl_loss/grad_k2"), TOL);

        NDArray gradK3 = gradient(logprobs, x -> KlLoss.k3Plain(x, refLogprobs, mask));
        assertClose(gradK3, ref("kl_loss/grad_k3_plain"), TOL);
    }

    @Test
    void adaptiveBetaSequence() {
        BetaController c = new AdaptiveKlController(
                REF.scalar("adaptive_beta/beta0"),
                new KlTarget(REF.scalar("adaptive_beta/target_kl_seq"), KlUnit.KL_SEQ),
                REF.scalar("adaptive_beta/horizon"));
        int n = REF.at("adaptive_beta/n").asInt();
        for (int i = 0; i < REF.at("adaptive_beta/kl_seq").size(); i++) {
            double kl = REF.at("adaptive_beta/kl_seq").get(i).asDouble();
            c = c.next(new KlStats(kl, kl / 10), n);
            assertThat(c.beta()).as("β after update %d (KL %s)", i + 1, kl)
                    .isCloseTo(REF.at("adaptive_beta/betas").get(i).asDouble(), within(1e-15));
        }
    }

    private NDArray gradient(NDArray at, Function<NDArray, NDArray> loss) {
        NDArray x = at.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(x));
        }
        return x.getGradient().duplicate();
    }
}
