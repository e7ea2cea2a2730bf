package dev.tether.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.checkpoint.CheckpointWriter;
import dev.tether.models.checkpoint.TrainerState;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.generate.TokenScorer;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.ValueHead;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One PPO-shaped update: teacher-forced log-probs and values, a loss, backward, AdamW. Every
 * parameter (policy and value head) gets a gradient and moves; a checkpoint written after the
 * step and read back continues bit for bit like the original.
 */
class TrainingStepTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void gradientsReachEveryParameterAndAResumedRunContinuesIdentically(String name) {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder(name));
      CausalLM model = CausalLM.initialize(config, m, 11);
      ValueHead head = ValueHead.initialize(m, config.hiddenSize(), 12);
      AdamW adam = new AdamW(m, AdamW.Settings.defaults().withLearningRate(1e-2));
      Map<String, NDArray> trainable = trainable(model, head);
      Map<String, float[]> before = snapshot(trainable);

      float first = step(model, head, adam, m, true);
      for (Map.Entry<String, float[]> e : before.entrySet()) {
        assertThat(trainable.get(e.getKey()).toFloatArray())
            .as("parameter %s moved", e.getKey()).isNotEqualTo(e.getValue());
      }
      float second = step(model, head, adam, m, false);
      assertThat(second).as("loss decreases on the same batch").isLessThan(first);

      ObjectNode beta = ModelConfig.JSON.createObjectNode().put("controller", "adaptive").put("beta", 0.05);
      Path dir = tmp.resolve(name);
      CheckpointWriter.write(dir, Checkpoint.of(model).withValueHead(head).withOptimizer(adam)
          .withTrainerState(new TrainerState(2, 1234, beta)));

      try (Checkpoint resumed = CheckpointReader.read(dir, m)) {
        assertThat(resumed.trainerState().orElseThrow()).isEqualTo(new TrainerState(2, 1234, beta));
        AdamW adam2 = resumed.optimizer().orElseThrow();
        assertThat(adam2.stepCount()).isEqualTo(2);
        assertThat(adam2.settings()).isEqualTo(adam.settings());
        ValueHead head2 = resumed.valueHead().orElseThrow();
        Map<String, NDArray> trainable2 = trainable(resumed.model(), head2);
        assertBitEqual(snapshot(trainable2), snapshot(trainable));
        for (String p : trainable.keySet()) {
          assertBitEqual(adam2.firstMoment(p).toFloatArray(), adam.firstMoment(p).toFloatArray(), p);
          assertBitEqual(adam2.secondMoment(p).toFloatArray(), adam.secondMoment(p).toFloatArray(), p);
        }
        // One more step from each: the same loss and the same weights, bit for bit.
        float a = step(model, head, adam, m, false);
        float b = step(resumed.model(), head2, adam2, m, false);
        assertThat(b).isEqualTo(a);
        assertBitEqual(snapshot(trainable2), snapshot(trainable));
      } finally {
        adam.close();
        head.close();
        model.close();
      }
    }
  }

  /** loss = −mean log π(response) + mean value², on a fixed batch; returns the loss. */
  static float step(CausalLM model, ValueHead head, AdamW adam, NDManager parent, boolean checkGradients) {
    Map<String, NDArray> trainable = trainable(model, head);
    trainable.values().forEach(a -> a.setRequiresGradient(true));
    float loss;
    try (NDManager m = parent.newSubManager()) {
      NDArray query = m.create(new int[] {0, 5, 9, 12, 7, 3, 22, 41}, new Shape(2, 4));
      NDArray queryMask = m.create(new int[] {0, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 4));
      NDArray response = m.create(new int[] {14, 15, 16, 0, 30, 31, 32, 33}, new Shape(2, 4));
      NDArray responseMask = m.create(new int[] {1, 1, 1, 0, 1, 1, 1, 1}, new Shape(2, 4));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        TokenScorer.Scores s = TokenScorer.score(model, head, query, queryMask, response, responseMask, 1f);
        NDArray l = s.logprobs().neg().sum().div(7f).add(s.values().square().sum().div(7f));
        loss = l.getFloat();
        gc.backward(l);
      }
      if (checkGradients) {
        for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
          try (NDArray g = e.getValue().getGradient()) {
            assertThat(g.abs().sum().getFloat()).as("gradient of %s", e.getKey()).isGreaterThan(0f);
          }
        }
      }
    }
    adam.step(trainable);
    return loss;
  }

  static Map<String, NDArray> trainable(CausalLM model, ValueHead head) {
    Map<String, NDArray> all = new LinkedHashMap<>(model.parameters().asMap());
    all.putAll(head.parameters().asMap());
    return all;
  }

  static Map<String, float[]> snapshot(Map<String, NDArray> arrays) {
    Map<String, float[]> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  static void assertBitEqual(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
    a.forEach((k, v) -> assertBitEqual(v, b.get(k), k));
  }

  static void assertBitEqual(float[] a, float[] b, String what) {
    assertThat(a.length).as(what).isEqualTo(b.length);
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        throw new AssertionError(what + "[" + i + "]: " + a[i] + " vs " + b[i]);
      }
    }
  }
}
