package dev.tether.models.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.nn.CausalLM;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sampling on the reference checkpoints, prompts of 3, 6 and 1 tokens (left-padded to 6). */
class GeneratorTest {

  static final List<int[]> PROMPTS = List.of(new int[] {5, 9, 12}, new int[] {7, 3, 22, 41, 8, 15}, new int[] {30});

  static NDManager manager;
  static CausalLM gpt2;
  static CausalLM llama;

  @BeforeAll
  static void load() {
    manager = NDManager.newBaseManager();
    gpt2 = load("gpt2-tiny");
    llama = load("llama-tiny");
  }

  static CausalLM load(String name) {
    return CheckpointReader.readModel(Reference.folder(name), CheckpointReader.readConfig(Reference.folder(name)), manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static CausalLM model(String name) {
    return name.startsWith("gpt2") ? gpt2 : llama;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void greedyWithCacheEqualsGreedyWithout(String name) {
    SamplingParams greedy = SamplingParams.sampling(12, 0).withGreedy(true);
    Generation cached = Generator.generate(model(name), PROMPTS, greedy, true);
    Generation full = Generator.generate(model(name), PROMPTS, greedy, false);
    assertThat(cached.responseIds()).containsExactly(full.responseIds());
    assertThat(cached.responseLength()).isEqualTo(12);
    assertThat(maxDiff(cached.logprobs(), full.logprobs())).isLessThan(1e-4);
    // Not a constant output: the rows differ.
    assertThat(cached.response(0)).isNotEqualTo(cached.response(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void sampledLogprobsEqualTeacherForcedLogprobs(String name) {
    SamplingParams p = SamplingParams.sampling(10, 42).withTemperature(0.7f).withTopK(20).withTopP(0.9);
    Generation g = Generator.generate(model(name), PROMPTS, p);
    try (NDManager m = NDManager.newBaseManager()) {
      int b = g.batch();
      TokenScorer.Scores s = TokenScorer.score(model(name), null,
          m.create(g.queryIds(), new Shape(b, g.queryLength())), m.create(g.queryMask(), new Shape(b, g.queryLength())),
          m.create(g.responseIds(), new Shape(b, g.responseLength())),
          m.create(g.responseMask(), new Shape(b, g.responseLength())), 0.7f);
      double diff = maxDiff(s.logprobs().toFloatArray(), g.logprobs());
      System.out.printf("%s: max |sampled − teacher-forced log-prob| = %.3g%n", name, diff);
      assertThat(diff).isLessThan(1e-4);
      // Not vacuous: real, varied log-probs.
      assertThat(min(g.logprobs())).isLessThan(-0.5f);
      // The same scorer at another temperature gives other numbers.
      TokenScorer.Scores t1 = TokenScorer.score(model(name), null,
          m.create(g.queryIds(), new Shape(b, g.queryLength())), m.create(g.queryMask(), new Shape(b, g.queryLength())),
          m.create(g.responseIds(), new Shape(b, g.responseLength())),
          m.create(g.responseMask(), new Shape(b, g.responseLength())), 1.0f);
      assertThat(maxDiff(t1.logprobs().toFloatArray(), g.logprobs())).isGreaterThan(1e-2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void sameSeedSameSamplesOtherSeedOtherSamples(String name) {
    SamplingParams p = SamplingParams.sampling(12, 7);
    Generation a = Generator.generate(model(name), PROMPTS, p);
    Generation b = Generator.generate(model(name), PROMPTS, p);
    Generation c = Generator.generate(model(name), PROMPTS, p.withSeed(8));
    assertThat(a.responseIds()).containsExactly(b.responseIds());
    assertThat(a.logprobs()).containsExactly(b.logprobs());
    assertThat(c.responseIds()).isNotEqualTo(a.responseIds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void topKOneIsGreedy(String name) {
    Generation greedy = Generator.generate(model(name), PROMPTS, SamplingParams.sampling(12, 1).withGreedy(true));
    Generation k1 = Generator.generate(model(name), PROMPTS, SamplingParams.sampling(12, 99).withTopK(1));
    assertThat(k1.responseIds()).containsExactly(greedy.responseIds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void stopTokenEndsItsRowAndPadsTheRest(String name) {
    SamplingParams greedy = SamplingParams.sampling(12, 0).withGreedy(true).withPadToken(0);
    int[] free = Generator.generate(model(name), PROMPTS, greedy).response(1);
    int k = firstNew(free, 2); // a token at index ≥ 2 not seen before it in row 1
    Generation g = Generator.generate(model(name), PROMPTS, greedy.withStopTokens(Set.of(free[k])));
    assertThat(g.response(1)).hasSize(k + 1).endsWith(free[k]);
    int n = g.responseLength();
    for (int j = k + 1; j < n; j++) {
      assertThat(g.responseMask()[n + j]).isZero();
      assertThat(g.responseIds()[n + j]).isZero();
      assertThat(g.logprobs()[n + j]).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void leftPaddingDoesNotChangeAPromptsContinuation(String name) {
    SamplingParams greedy = SamplingParams.sampling(8, 0).withGreedy(true);
    Generation batch = Generator.generate(model(name), PROMPTS, greedy);
    for (int r = 0; r < PROMPTS.size(); r++) {
      Generation alone = Generator.generate(model(name), List.of(PROMPTS.get(r)), greedy);
      assertThat(batch.response(r)).containsExactly(alone.response(0));
      assertThat(maxDiff(batch.responseLogprobs(r), alone.responseLogprobs(0))).isLessThan(1e-4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void generationLeavesNoArraysBehind(String name) {
    int before = model(name).parameters().manager().getManagedArrays().size();
    Generator.generate(model(name), PROMPTS, SamplingParams.sampling(6, 3));
    Generator.generate(model(name), PROMPTS, SamplingParams.sampling(6, 3), false);
    assertThat(model(name).parameters().manager().getManagedArrays()).hasSize(before);
  }

  @org.junit.jupiter.api.Test
  void paramsFromGenerationConfig() {
    var g = dev.tether.models.config.GenerationConfig.read(Reference.folder("llama-tiny").resolve("generation_config.json"));
    SamplingParams p = SamplingParams.from(g, 5, 9);
    assertThat(p.greedy()).isFalse();
    assertThat(p.temperature()).isEqualTo(0.9f);
    assertThat(p.topP()).isEqualTo(0.95);
    assertThat(p.topK()).isEqualTo(50); // transformers' default
    assertThat(p.stopTokenIds()).containsExactly(2);
    assertThat(p.padTokenId()).isEqualTo(2); // no pad_token_id: EOS pads, as transformers warns and does
  }

  static int firstNew(int[] tokens, int from) {
    for (int k = from; k < tokens.length; k++) {
      boolean seen = false;
      for (int j = 0; j < k; j++) {
        seen |= tokens[j] == tokens[k];
      }
      if (!seen) {
        return k;
      }
    }
    throw new AssertionError("no fresh token in " + java.util.Arrays.toString(tokens));
  }

  static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static float min(float[] a) {
    float m = Float.MAX_VALUE;
    for (float v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

}
