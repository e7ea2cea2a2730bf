package dev.tether.models.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.models.Reference;
import dev.tether.models.nn.Llama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

  @TempDir Path tmp;

  static ObjectNode json(String name) throws Exception {
    return (ObjectNode) ModelConfig.JSON.readTree(Files.readAllBytes(Reference.folder(name).resolve("config.json")));
  }

  @Test
  void readsGpt2WithTransformersDefaults() {
    GPT2Config c = (GPT2Config) ModelConfig.read(Reference.folder("gpt2-tiny").resolve("config.json"));
    assertThat(c.vocabSize()).isEqualTo(64);
    assertThat(c.nPositions()).isEqualTo(32);
    assertThat(c.nEmbd()).isEqualTo(32);
    assertThat(c.nLayer()).isEqualTo(2);
    assertThat(c.nHead()).isEqualTo(4);
    assertThat(c.nInner()).isEqualTo(128); // n_inner: null means 4·n_embd
    assertThat(c.activationFunction()).isEqualTo("gelu_new");
    assertThat(c.layerNormEpsilon()).isEqualTo(1e-5);
    assertThat(c.tieWordEmbeddings()).isTrue();
    assertThat(c.eosTokenId()).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void readsLlamaWithGqaRopeThetaAndLinearScaling() {
    LlamaConfig c = (LlamaConfig) ModelConfig.read(Reference.folder("llama-tiny").resolve("config.json"));
    assertThat(c.numAttentionHeads()).isEqualTo(4);
    assertThat(c.numKeyValueHeads()).isEqualTo(2);
    assertThat(c.headDim()).isEqualTo(8);
    assertThat(c.intermediateSize()).isEqualTo(48);
    assertThat(c.ropeTheta()).isEqualTo(5000.0);
    assertThat(c.ropeScaling()).isEqualTo(RopeScaling.linear(2.0));
    assertThat(c.rmsNormEps()).isEqualTo(1e-5);
    assertThat(c.tieWordEmbeddings()).isFalse();
    assertThat(c.maxPositionEmbeddings()).isEqualTo(64);
    assertThat(c.bosTokenId()).isEqualTo(OptionalInt.of(1));
    assertThat(c.eosTokenId()).isEqualTo(OptionalInt.of(2));
  }

  @Test
  void llamaDefaultsAndExplicitHeadDim() throws Exception {
    ObjectNode n = json("llama-tiny");
    n.remove("num_key_value_heads");
    n.remove("rope_theta");
    n.remove("rope_scaling");
    n.remove("tie_word_embeddings");
    n.put("head_dim", 16);
    LlamaConfig c = (LlamaConfig) ModelConfig.parse(n, "config.json");
    assertThat(c.numKeyValueHeads()).isEqualTo(4);
    assertThat(c.ropeTheta()).isEqualTo(10000.0);
    assertThat(c.ropeScaling().type()).isEqualTo(RopeScaling.Type.NONE);
    assertThat(c.tieWordEmbeddings()).isFalse();
    assertThat(c.headDim()).isEqualTo(16);
  }

  @Test
  void llama3ScalingMatchesMetasApplyScaling() throws Exception {
    ObjectNode n = json("llama-tiny");
    ObjectNode s = n.putObject("rope_scaling");
    s.put("rope_type", "llama3");
    s.put("factor", 8.0);
    s.put("low_freq_factor", 0.25);
    s.put("high_freq_factor", 2.0);
    s.put("original_max_position_embeddings", 16);
    LlamaConfig c = (LlamaConfig) ModelConfig.parse(n, "config.json");
    double[] got = Llama.inverseFrequencies(c);
    float[] want = Reference.expected("llama-tiny").get("llama3_inv_freq").toFloats();
    assertThat(got).hasSize(want.length);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).isCloseTo(want[i], org.assertj.core.data.Percentage.withPercentage(1e-4));
    }
    // The three branches: kept, blended, divided by the factor.
    double theta1 = 1.0 / Math.pow(5000, 2.0 / 8);
    assertThat(got[0]).isEqualTo(1.0);
    assertThat(got[1]).isStrictlyBetween(theta1 / 8, theta1);
    assertThat(got[3]).isCloseTo(1.0 / Math.pow(5000, 6.0 / 8) / 8, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void readsTransformers5RopeParameters() throws Exception {
    ObjectNode n = json("llama-tiny");
    n.remove("rope_theta");
    n.remove("rope_scaling");
    ObjectNode p = n.putObject("rope_parameters");
    p.put("rope_type", "linear");
    p.put("rope_theta", 123.0);
    p.put("factor", 4.0);
    LlamaConfig c = (LlamaConfig) ModelConfig.parse(n, "config.json");
    assertThat(c.ropeTheta()).isEqualTo(123.0);
    assertThat(c.ropeScaling()).isEqualTo(RopeScaling.linear(4.0));
  }

  @Test
  void toJsonReadsBackEqual() throws Exception {
    for (String name : new String[] {"gpt2-tiny", "llama-tiny"}) {
      ModelConfig c = ModelConfig.parse(json(name), name);
      assertThat(ModelConfig.parse(c.toJson(), "round trip")).isEqualTo(c);
    }
  }

  @Test
  void errorsNameTheFileAndTheField() throws Exception {
    expectError("gpt2-tiny", n -> n.put("model_type", "mistral"), "model_type", "mistral");
    expectError("gpt2-tiny", n -> n.remove("model_type"), "model_type", "missing");
    expectError("gpt2-tiny", n -> n.remove("n_embd"), "n_embd", "missing");
    expectError("gpt2-tiny", n -> n.put("n_head", 5), "n_head", "divide");
    expectError("gpt2-tiny", n -> n.put("vocab_size", -3), "vocab_size", "positive");
    expectError("gpt2-tiny", n -> n.put("n_layer", "two"), "n_layer", "integer");
    expectError("gpt2-tiny", n -> n.put("activation_function", "swiglu"), "activation_function", "swiglu");
    expectError("gpt2-tiny", n -> n.put("eos_token_id", 64), "eos_token_id", "outside");
    expectError("llama-tiny", n -> n.remove("intermediate_size"), "intermediate_size", "missing");
    expectError("llama-tiny", n -> n.put("num_key_value_heads", 3), "num_key_value_heads", "divide");
    expectError("llama-tiny", n -> n.put("rope_theta", 0), "rope_theta", "positive");
    expectError("llama-tiny", n -> n.put("rms_norm_eps", -1e-6), "rms_norm_eps", "positive");
    expectError("llama-tiny", n -> n.put("hidden_act", "gelu"), "hidden_act", "silu");
    expectError("llama-tiny", n -> n.put("attention_bias", true), "attention_bias", "not supported");
    expectError("llama-tiny", n -> ((ObjectNode) n.get("rope_scaling")).put("type", "dynamic"), "rope_type", "dynamic");
    expectError("llama-tiny", n -> ((ObjectNode) n.get("rope_scaling")).remove("factor"), "factor", "missing");
    expectError("llama-tiny", n -> {
      ObjectNode s = n.putObject("rope_scaling");
      s.put("rope_type", "llama3");
      s.put("factor", 8.0);
      s.put("low_freq_factor", 1.0);
      s.put("high_freq_factor", 4.0);
    }, "original_max_position_embeddings", "missing");
  }

  @Test
  void missingOrBrokenFileIsNamed() throws Exception {
    Path missing = tmp.resolve("nowhere/config.json");
    assertThatThrownBy(() -> ModelConfig.read(missing))
        .isInstanceOf(ArtifactException.class).hasMessageContaining(missing.toString()).hasMessageContaining("missing");
    Path broken = tmp.resolve("config.json");
    Files.writeString(broken, "{\"model_type\": \"gpt2\", ");
    assertThatThrownBy(() -> ModelConfig.read(broken))
        .isInstanceOf(ArtifactException.class).hasMessageContaining(broken.toString()).hasMessageContaining("JSON");
  }

  private void expectError(String model, Consumer<ObjectNode> edit, String field, String what) throws Exception {
    ObjectNode n = json(model);
    edit.accept(n);
    Path file = tmp.resolve(model + "-" + field + "-config.json");
    Files.write(file, ModelConfig.JSON.writeValueAsBytes(n));
    assertThatThrownBy(() -> ModelConfig.read(file))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("\"" + field + "\"")
        .hasMessageContaining(what);
  }
}
