package dev.tether.steps.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.steps.sft.data.PaddedBatch;
import dev.tether.steps.sft.train.NextTokenLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Padding takes no part in the loss: a padded batch sums to its rows' separate sums, whatever the pad id. */
class NextTokenLossTest {

    @Test
    void paddingIsNotALossTerm() throws Exception {
        ModelConfig config = ModelConfig.parse(Fixtures.JSON.readTree("{\"model_type\": \"gpt2\", \"vocab_size\": 16, \"n_positions\": 16, "
                + "\"n_embd\": 16, \"n_layer\": 1, \"n_head\": 2}"), "test");
        int[] a = {1, 11, 12, 13, 2};
        int[] b = {1, 3, 2};
        try (NDManager nd = NDManager.newBaseManager(SftStep.ENGINE); CausalLM model = CausalLM.initialize(config, nd, 4)) {
            double[] both = sum(model, List.of(a, b), 0);
            double[] bothOtherPad = sum(model, List.of(a, b), 9);
            double[] onlyA = sum(model, List.of(a), 0);
            double[] onlyB = sum(model, List.of(b), 0);
            assertThat(both[1]).isEqualTo(6.0); // 4 targets in a, 2 in b
            assertThat(both[0]).isCloseTo(onlyA[0] + onlyB[0], within(1e-4));
            assertThat(bothOtherPad[0]).isCloseTo(both[0], within(1e-5));
            // A model with N(0, 0.02²) weights is close to uniform: about ln 16 per token.
            assertThat(both[0] / both[1]).isCloseTo(Math.log(16), within(0.1));
            assertThat(NextTokenLoss.mean(model, List.of(a, b), 1, 0)).isCloseTo(both[0] / both[1], within(1e-5));
        }
    }

    private static double[] sum(CausalLM model, List<int[]> rows, int pad) {
        PaddedBatch batch = PaddedBatch.rightPadded(rows, pad);
        try (NDManager m = model.parameters().manager().newSubManager()) {
            NextTokenLoss.Sum s = NextTokenLoss.of(model, batch.ids(m), batch.mask(m));
            return new double[] {s.nll().getFloat(), s.tokens().getFloat()};
        }
    }
}
