package dev.tether.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import org.junit.jupiter.api.Test;

/** Bad inputs fail with a message saying what was expected, before any native code sees them. */
class InputValidationTest {

  @Test
  void rejectsOutOfVocabularyIdsWrongMasksAndOverlongGpt2Sequences() {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder("gpt2-tiny"));
      try (CausalLM model = CausalLM.initialize(config, m, 1)) {
        NDArray ok = m.create(new int[] {1, 2, 3}, new Shape(1, 3));
        NDArray mask = m.ones(new Shape(1, 3), DataType.INT32);
        assertThatThrownBy(() -> model.hidden(m.create(new int[] {1, 64, 3}, new Shape(1, 3)), mask, null))
            .hasMessageContaining("[0, 64)").hasMessageContaining("[1, 64]");
        assertThatThrownBy(() -> model.hidden(ok, m.ones(new Shape(1, 4), DataType.INT32), null))
            .hasMessageContaining("attention_mask must be [1, 3]");
        assertThatThrownBy(() -> model.hidden(m.zeros(new Shape(1, 33), DataType.INT32),
                m.ones(new Shape(1, 33), DataType.INT32), null))
            .hasMessageContaining("n_positions 32");
        // A failed call leaves nothing behind in the caller's manager but its own inputs.
        assertThat(model.parameters().manager().getManagedArrays()).hasSize(CausalLM.parameterShapes(config).size());
      }
    }
  }

  @Test
  void cacheLengthCountsEveryForwardPass() {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder("llama-tiny"));
      try (CausalLM model = CausalLM.initialize(config, m, 1); KvCache cache = model.newCache(m)) {
        model.hidden(m.create(new int[] {1, 2, 3, 4}, new Shape(2, 2)), m.ones(new Shape(2, 2), DataType.INT32), cache);
        model.hidden(m.create(new int[] {5, 6}, new Shape(2, 1)), m.ones(new Shape(2, 3), DataType.INT32), cache);
        assertThat(cache.length()).isEqualTo(3);
        // The mask must cover cached and new tokens.
        assertThatThrownBy(() -> model.hidden(m.create(new int[] {5, 6}, new Shape(2, 1)),
                m.ones(new Shape(2, 1), DataType.INT32), cache))
            .hasMessageContaining("cached 3");
      }
    }
  }
}
