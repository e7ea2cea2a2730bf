package dev.tether.steps.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tether.steps.sft.train.LearningRateSchedule;
import dev.tether.steps.sft.train.LearningRateSchedule.Kind;
import org.junit.jupiter.api.Test;

/** Hand-worked values of transformers' get_cosine_schedule_with_warmup (warm-up 4, 12 steps, peak 2e-3). */
class LearningRateScheduleTest {
    @Test
    void warmUpThenCosineToZero() {
        LearningRateSchedule s = new LearningRateSchedule(2e-3, 4, 12, Kind.COSINE);
        assertThat(s.at(0)).isEqualTo(0.0);
        assertThat(s.at(1)).isCloseTo(0.5e-3, within(1e-15));
        assertThat(s.at(4)).isCloseTo(2e-3, within(1e-15));
        // progress 2/8: ½(1 + cos(π/4)) = 0.853553…
        assertThat(s.at(6)).isCloseTo(2e-3 * 0.8535533905932737, within(1e-15));
        assertThat(s.at(8)).isCloseTo(1e-3, within(1e-15));
        assertThat(s.at(12)).isCloseTo(0.0, within(1e-18));
        for (int i = 5; i < 12; i++) {
            assertThat(s.at(i)).isLessThan(s.at(i - 1));
        }
    }

    @Test
    void constantAfterWarmUp() {
        LearningRateSchedule s = new LearningRateSchedule(0.05, 0, 500, Kind.CONSTANT);
        assertThat(s.at(0)).isEqualTo(0.05);
        assertThat(s.at(499)).isEqualTo(0.05);
    }

    @Test
    void badSettingsNameTheirParameter() {
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 1, Kind.COSINE)).hasMessageStartingWith("learning_rate:");
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, -1, 1, Kind.COSINE)).hasMessageStartingWith("warmup_steps:");
        assertThatThrownBy(() -> Kind.parse("linear")).hasMessageContaining("expected constant or cosine");
    }
}
