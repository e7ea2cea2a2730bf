package dev.tether.steps.rewardtrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The losses and accuracies against numbers worked by hand. */
class RewardLossesTest {

    @Test
    void bradleyTerryIsMinusLogSigmoidOfTheMargin() {
        try (NDManager m = NDManager.newBaseManager(RewardTrainStep.ENGINE)) {
            // margins 0, 2, −3, 50: ln 2, ln(1 + e^−2), ln(1 + e^3), ~e^−50
            float[] chosen = {1, 2, -1, 60};
            float[] rejected = {1, 0, 2, 10};
            double expected = (Math.log(2) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(3)) + Math.exp(-50)) / 4;
            assertThat(RewardLosses.bradleyTerry(m.create(chosen), m.create(rejected)).getFloat()).isCloseTo((float) expected, within(1e-6f));
            // A margin far past exp's range stays finite and linear: −log σ(−200) = 200.
            assertThat(RewardLosses.bradleyTerry(m.create(new float[] {0}), m.create(new float[] {200})).getFloat()).isCloseTo(200f, within(1e-4f));
        }
    }

    @Test
    void logisticLossIsCrossEntropyOfTheSigmoid() {
        try (NDManager m = NDManager.newBaseManager(RewardTrainStep.ENGINE)) {
            // (r, y): (0, 1) → ln 2; (3, 0) → ln(1 + e^3); (3, 1) → ln(1 + e^−3)
            float[] r = {0, 3, 3};
            float[] y = {1, 0, 1};
            double expected = (Math.log(2) + Math.log1p(Math.exp(3)) + Math.log1p(Math.exp(-3))) / 3;
            assertThat(RewardLosses.logistic(m.create(r), m.create(y)).getFloat()).isCloseTo((float) expected, within(1e-6f));
            assertThat(RewardLosses.l2(m.create(new float[] {1, -2, 3}), 1e-3).getFloat()).isCloseTo(0.014f, within(1e-7f));
        }
    }

    @Test
    void tiesCountHalf() {
        assertThat(Accuracy.pairs(new float[] {1, 0, 2, 5}, new float[] {0, 0, 3, 1})).isEqualTo(2.5 / 4);
        assertThat(Accuracy.labels(new float[] {2, -1, 0, 0.5f}, new float[] {1, 1, 0, 0})).isEqualTo(1.5 / 4);
    }
}
