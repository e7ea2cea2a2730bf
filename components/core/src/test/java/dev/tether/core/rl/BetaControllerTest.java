package dev.tether.core.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.beta.AdaptiveKlController;
import dev.tether.core.beta.BetaController;
import dev.tether.core.beta.BetaControllerJson;
import dev.tether.core.beta.FixedBetaController;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlStats;
import dev.tether.core.kl.KlUnit;
import org.junit.jupiter.api.Test;

class BetaControllerTest {
    private static final KlTarget SIX_NATS_PER_SEQ = new KlTarget(6, KlUnit.KL_SEQ);

    @Test
    void klExactlyAtTargetLeavesBetaUnchanged() {
        AdaptiveKlController c = new AdaptiveKlController(0.1, SIX_NATS_PER_SEQ, 10_000);
        assertThat(c.next(new KlStats(6.0, 0.3), 512).beta()).isEqualTo(0.1);
    }

    @Test
    void errorIsClippedAtPointTwo() {
        // KL 100 ≫ 6: e = 0.2, n/horizon = 0.5 → β·1.1. KL 0: e = −0.2 → β·0.9.
        AdaptiveKlController c = new AdaptiveKlController(0.1, SIX_NATS_PER_SEQ, 100);
        assertThat(c.next(new KlStats(100, 1), 50).beta()).isEqualTo(0.1 * 1.1);
        assertThat(c.next(new KlStats(0, 0), 50).beta()).isEqualTo(0.1 * 0.9);
        // Within the clip the error is proportional: KL 7 → e = 1/6.
        assertThat(AdaptiveKlController.proportionalError(7, 6)).isEqualTo(7.0 / 6 - 1);
    }

    @Test
    void theTargetUnitChoosesWhichKlIsRead() {
        AdaptiveKlController perToken = new AdaptiveKlController(1, new KlTarget(0.05, KlUnit.KL_TOKEN), 100);
        // kl_seq far above any per-sequence target, but kl_token = 0.05 is on target: β stays.
        assertThat(perToken.next(new KlStats(40, 0.05), 10).beta()).isEqualTo(1.0);
    }

    @Test
    void betaZeroStaysZeroAndFixedNeverMoves() {
        assertThat(new AdaptiveKlController(0, SIX_NATS_PER_SEQ, 10).next(new KlStats(50, 1), 10).beta()).isZero();
        BetaController fixed = new FixedBetaController(0.05);
        assertThat(fixed.next(new KlStats(50, 1), 10).beta()).isEqualTo(0.05);
    }

    @Test
    void stateSurvivesJsonBitForBit() {
        BetaController c = new AdaptiveKlController(0.3, new KlTarget(4, KlUnit.KL_SEQ), 640);
        double[] kls = {1.3, 5.77, 4.000001, 12.5};
        for (double kl : kls) {
            c = c.next(new KlStats(kl, kl / 13), 64);
        }
        String json = BetaControllerJson.toJsonString(c);
        assertThat(json).contains("\"type\":\"adaptive\"").contains("\"unit\":\"kl_seq\"");
        BetaController back = BetaControllerJson.fromJsonString(json);
        assertThat(back).isEqualTo(c);
        assertThat(Double.doubleToRawLongBits(back.beta())).isEqualTo(Double.doubleToRawLongBits(c.beta()));
        assertThat(((AdaptiveKlController) back).updates()).isEqualTo(4);
        // And it goes on exactly as the original would.
        assertThat(back.next(new KlStats(9, 1), 64)).isEqualTo(c.next(new KlStats(9, 1), 64));

        BetaController fixed = new FixedBetaController(0.125);
        assertThat(BetaControllerJson.fromJsonString(BetaControllerJson.toJsonString(fixed))).isEqualTo(fixed);
    }

    @Test
    void nonsenseSettingsAreRefusedByName() {
        assertThatThrownBy(() -> new KlTarget(0, KlUnit.KL_SEQ)).hasMessageContaining("kl_target").hasMessageContaining("> 0");
        assertThatThrownBy(() -> new KlTarget(-3, KlUnit.KL_TOKEN)).hasMessageContaining("kl_target");
        assertThatThrownBy(() -> new KlTarget(Double.NaN, KlUnit.KL_SEQ)).hasMessageContaining("kl_target").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new KlTarget(6, null)).hasMessageContaining("kl_target_unit");
        assertThatThrownBy(() -> new AdaptiveKlController(-0.1, SIX_NATS_PER_SEQ, 100)).hasMessageContaining("beta").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new AdaptiveKlController(Double.NaN, SIX_NATS_PER_SEQ, 100)).hasMessageContaining("beta");
        assertThatThrownBy(() -> new AdaptiveKlController(0.1, SIX_NATS_PER_SEQ, 0)).hasMessageContaining("horizon");
        assertThatThrownBy(() -> new AdaptiveKlController(0.1, SIX_NATS_PER_SEQ, Double.POSITIVE_INFINITY)).hasMessageContaining("horizon");
        assertThatThrownBy(() -> new FixedBetaController(Double.POSITIVE_INFINITY)).hasMessageContaining("beta");
        AdaptiveKlController ok = new AdaptiveKlController(0.1, SIX_NATS_PER_SEQ, 100);
        assertThatThrownBy(() -> ok.next(new KlStats(Double.NaN, 0), 8)).hasMessageContaining("finite");
        assertThatThrownBy(() -> ok.next(new KlStats(1, 0.1), 0)).hasMessageContaining("n_samples");
        assertThatThrownBy(() -> KlUnit.parse("nats")).hasMessageContaining("kl_seq or kl_token").hasMessageContaining("nats");
    }

    @Test
    void corruptStateIsRefusedWithTheReason() {
        assertThatThrownBy(() -> BetaControllerJson.fromJsonString(
                "{\"type\":\"adaptive\",\"beta\":-1,\"target\":{\"value\":6,\"unit\":\"kl_seq\"},\"horizon\":10,\"updates\":0}"))
                .hasMessageContaining("beta: expected a finite number ≥ 0, got -1.0");
        assertThatThrownBy(() -> BetaControllerJson.fromJsonString("{\"type\":\"pid\",\"beta\":1}"))
                .hasMessageContaining("pid");
        assertThatThrownBy(() -> BetaControllerJson.fromJsonString("{\"type\":\"adaptive\",\"beta\":0.1,\"horizon\":10,\"updates\":0}"))
                .hasMessageContaining("kl_target");
        assertThatThrownBy(() -> BetaControllerJson.fromJsonString("not json")).hasMessageContaining("not JSON");
    }
}
