package dev.tether.cli.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tether.core.beta.AdaptiveKlController;
import dev.tether.core.beta.FixedBetaController;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlUnit;
import org.junit.jupiter.api.Test;

/** The RL core, run end to end, against the closed-form optimum of the KL-regularised objective. */
class BanditPpoTest {
    private final KlBandit bandit = KlBandit.reviews();

    @Test
    void closedFormOptimumByHand() {
        // β = 1: weights π_ref·e^r = .25e^-1, .2e^-.5, .15, .12e^.5, .1e, .08e^1.2, .06e^.8, .04e^2
        double[] w = {0.25 * Math.exp(-1), 0.2 * Math.exp(-0.5), 0.15, 0.12 * Math.exp(0.5), 0.1 * Math.E,
                0.08 * Math.exp(1.2), 0.06 * Math.exp(0.8), 0.04 * Math.exp(2)};
        double z = 0;
        for (double x : w) {
            z += x;
        }
        double[] p = bandit.optimum(1.0);
        for (int i = 0; i < w.length; i++) {
            assertThat(p[i]).isCloseTo(w[i] / z, within(1e-12));
        }
        // KL(π*‖π_ref) = E_π*[r]/β − log Z
        assertThat(bandit.klToReference(p)).isCloseTo(KlBandit.expectation(p, bandit.proxy()) - Math.log(z), within(1e-12));
        // β → 0: all mass on the exploit, KL = −log π_ref(exploit)
        assertThat(bandit.optimum(0)[7]).isEqualTo(1.0);
        assertThat(bandit.klToReference(bandit.optimum(0))).isCloseTo(-Math.log(0.04), within(1e-12));
    }

    @Test
    void fixedBetaConvergesToTheKlRegularisedOptimum() {
        BanditPpo.Result r = new BanditPpo(bandit, BanditPpo.Settings.defaults(7)).train(new FixedBetaController(1.0), it -> {});
        double[] target = bandit.optimum(1.0);
        assertThat(r.history().get(0).klK1()).as("KL at iteration 0 (policy = reference)").isZero();
        assertThat(KlBandit.totalVariation(r.finalProbs(), target)).as("TV(π, π*)").isLessThan(0.05);
        assertThat(bandit.klToReference(r.finalProbs())).isCloseTo(bandit.klToReference(target), within(0.06));
    }

    @Test
    void betaZeroHacksTheProxyWhileAdaptiveBetaHoldsItsTarget() {
        BanditPpo.Settings s = BanditPpo.Settings.defaults(11);
        BanditPpo.Result free = new BanditPpo(bandit, s).train(new FixedBetaController(0), it -> {});
        AdaptiveKlController adaptive = new AdaptiveKlController(0.3, new KlTarget(0.4, KlUnit.KL_SEQ), 2.0 * s.batchSize());
        BanditPpo.Result held = new BanditPpo(bandit, s).train(adaptive, it -> {});

        BanditPpo.Iteration freeEnd = free.history().get(free.history().size() - 1);
        BanditPpo.Iteration heldEnd = held.history().get(held.history().size() - 1);
        double baseGold = KlBandit.expectation(bandit.refProbs(), bandit.gold());
        // β = 0: most mass on the exploit, proxy up, gold well below the base model.
        assertThat(free.finalProbs()[7]).isGreaterThan(0.8);
        assertThat(freeEnd.gold()).isLessThan(baseGold - 1.0);
        assertThat(freeEnd.klExact()).isGreaterThan(2.0);
        // Adaptive β: KL near its 0.4-nat target, gold above the base model's.
        assertThat(heldEnd.klExact()).isCloseTo(0.4, within(0.15));
        assertThat(heldEnd.gold()).isGreaterThan(baseGold + 0.1);
        assertThat(held.finalController().beta()).isBetween(0.5, 2.0);
    }
}
