package dev.tether.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cache written in place gives the hidden states of the whole sequence run at once, whether
 * it was sized up front or had to grow (a cache with no capacity sizes itself on the first step
 * and doubles: here 3 → 6 → 12 positions over 12 tokens fed 3, then 1 at a time).
 */
class KvCacheTest {

  static final int[] IDS = {5, 9, 12, 7, 3, 22, 41, 8, 15, 30, 2, 11, 0, 6, 19, 4, 33, 27, 1, 14, 9, 9, 40, 17};

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void stepByStepEqualsOnePass(String name) {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder(name));
      try (CausalLM model = CheckpointReader.readModel(Reference.folder(name), config, m)) {
        int b = 2;
        int t = 12;
        NDArray ids = m.create(IDS, new Shape(b, t));
        int[] maskValues = new int[b * t];
        java.util.Arrays.fill(maskValues, 1);
        maskValues[t] = 0; // row 1 is left-padded by one (its hidden state there is not compared)
        NDArray mask = m.create(maskValues, new Shape(b, t));
        NDArray full = model.hidden(ids, mask, null);
        for (long capacity : new long[] {0, t}) {
          try (KvCache cache = new KvCache(m, config.numLayers(), capacity)) {
            NDArray first = model.hidden(ids.get(new NDIndex(":, :3")), mask.get(new NDIndex(":, :3")), cache);
            assertClose(first.get(new NDIndex("0")), full.get(new NDIndex("0, :3, :")), name + " prompt, row 0");
            assertClose(first.get(new NDIndex("1, 1:")), full.get(new NDIndex("1, 1:3, :")), name + " prompt, row 1");
            for (int i = 3; i < t; i++) {
              NDArray step = model.hidden(ids.get(new NDIndex(":, {}:{}", i, i + 1)),
                  mask.get(new NDIndex(":, :{}", i + 1)), cache);
              assertClose(step, full.get(new NDIndex(":, {}:{}, :", i, i + 1)), name + " token " + i);
            }
            assertThat(cache.length()).isEqualTo(t);
          }
        }
      }
    }
  }

  static void assertClose(NDArray a, NDArray b, String what) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    assertThat(x).hasSameSizeAs(y);
    for (int i = 0; i < x.length; i++) {
      assertThat(Math.abs(x[i] - y[i])).as("%s [%d]", what, i).isLessThan(1e-4f);
    }
  }
}
