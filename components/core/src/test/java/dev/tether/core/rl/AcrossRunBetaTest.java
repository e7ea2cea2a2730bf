package dev.tether.core.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tether.core.beta.AcrossRunBeta;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlUnit;
import org.junit.jupiter.api.Test;

class AcrossRunBetaTest {
    private final AcrossRunBeta carry =
            new AcrossRunBeta(AcrossRunBeta.Mode.CARRY, 0.1, new KlTarget(6, KlUnit.KL_SEQ), 1.0, 0.01, 1.0);

    @Test
    void carryCorrectsByTheRunsKlWithinTheClip() {
        // KL 7.5 vs 6: e = 0.25 → clipped to 0.2 → 0.1·1.2
        assertThat(carry.next(0.1, 7.5, false)).isCloseTo(0.12, within(1e-15));
        // KL 6.6: e = 0.1 → 0.2·1.1
        assertThat(carry.next(0.2, 6.6, false)).isCloseTo(0.22, within(1e-15));
        // on target: carried unchanged
        assertThat(carry.next(0.137, 6, false)).isEqualTo(0.137);
        // under target: β falls, e = −0.2 at most
        assertThat(carry.next(0.1, 1, false)).isCloseTo(0.08, within(1e-15));
    }

    @Test
    void gatedRunsAlwaysRaiseBetaAndBoundsHold() {
        assertThat(carry.next(0.1, 0.5, true)).isCloseTo(0.12, within(1e-15));
        assertThat(carry.next(0.1, Double.NaN, true)).isCloseTo(0.12, within(1e-15));
        assertThat(carry.next(0.95, 100, false)).isEqualTo(1.0);
        assertThat(carry.next(0.011, 0, false)).isEqualTo(0.01);
    }

    @Test
    void fixedIgnoresTheRun() {
        AcrossRunBeta fixed = new AcrossRunBeta(AcrossRunBeta.Mode.FIXED, 0.05, null, 1.0, 0, 1);
        assertThat(fixed.next(0.9, 50, true)).isEqualTo(0.05);
    }

    @Test
    void nonsenseIsRefusedByName() {
        assertThatThrownBy(() -> new AcrossRunBeta(AcrossRunBeta.Mode.CARRY, 0.1, null, 1, 0, 1)).hasMessageContaining("klTarget");
        assertThatThrownBy(() -> new AcrossRunBeta(AcrossRunBeta.Mode.CARRY, 0.1, new KlTarget(6, KlUnit.KL_SEQ), 1, 0.5, 0.1))
                .hasMessageContaining("betaMin");
        assertThatThrownBy(() -> new AcrossRunBeta(AcrossRunBeta.Mode.CARRY, 0.1, new KlTarget(6, KlUnit.KL_SEQ), 0, 0, 1))
                .hasMessageContaining("gain");
        assertThatThrownBy(() -> carry.next(0.1, Double.NaN, false)).hasMessageContaining("kl");
    }
}
