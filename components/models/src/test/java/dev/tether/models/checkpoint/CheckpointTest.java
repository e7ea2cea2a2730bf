package dev.tether.models.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.DType;
import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.Reference;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path tmp;
  NDManager m;

  @BeforeEach
  void open() {
    m = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    m.close();
  }

  @Test
  void hubStyleGpt2ReadsAndWritesBackBitIdentical() throws IOException {
    // The reference folder is Hub-style: no "transformer." prefix, attn.bias buffers, tied head.
    try (Checkpoint c = CheckpointReader.read(Reference.folder("gpt2-tiny"), m)) {
      assertThat(c.valueHead()).isPresent();
      assertThat(c.generationConfig().orElseThrow().eosTokenIds()).containsExactly(0);
      assertThat(c.tokenizerFiles()).containsKey("tokenizer.json");
      Path first = tmp.resolve("first");
      CheckpointWriter.write(first, c);

      try (SafetensorsFile f = Safetensors.read(first.resolve("model.safetensors"))) {
        assertThat(f.metadata()).containsEntry("format", "pt");
        assertThat(f.names()).contains("transformer.wte.weight", "transformer.h.1.mlp.c_fc.weight")
            .doesNotContain("lm_head.weight", "h.0.attn.bias");
      }
      try (Checkpoint back = CheckpointReader.read(first, m)) {
        assertSameTensors(c.model().parameters().asMap(), back.model().parameters().asMap());
        assertSameTensors(c.valueHead().get().parameters().asMap(), back.valueHead().get().parameters().asMap());
        assertThat(back.configJson()).isEqualTo(withFloat32(c.configJson()));
        assertThat(back.generationConfig()).isEqualTo(c.generationConfig());
        assertThat(back.tokenizerFiles().get("tokenizer.json")).isEqualTo(c.tokenizerFiles().get("tokenizer.json"));
        Path second = tmp.resolve("second");
        CheckpointWriter.write(second, back);
        assertSameFiles(first, second);
      }
    }
  }

  @Test
  void shardedBf16LlamaIsUpCastAndWrittenAsOneF32File() throws IOException {
    try (Checkpoint c = CheckpointReader.read(Reference.folder("llama-tiny"), m)) {
      Path out = tmp.resolve("llama");
      CheckpointWriter.write(out, c);
      assertThat(out.resolve("model.safetensors")).exists();
      assertThat(out.resolve("model.safetensors.index.json")).doesNotExist();
      try (SafetensorsFile f = Safetensors.read(out.resolve("model.safetensors"))) {
        assertThat(f.dtype("lm_head.weight")).isEqualTo(DType.F32);
        assertThat(f.names()).contains("model.layers.1.self_attn.k_proj.weight");
        assertThat(f.shape("model.layers.1.self_attn.k_proj.weight")).containsExactly(16, 32); // 2 kv heads × 8
      }
      // Up-casting BF16 is exact: every stored value equals the BF16 value in the shard.
      try (SafetensorsFile shard = Safetensors.read(Reference.folder("llama-tiny").resolve("model-00002-of-00002.safetensors"));
          Checkpoint back = CheckpointReader.read(out, m)) {
        Tensor lmHead = shard.get("lm_head.weight");
        assertThat(lmHead.dtype()).isEqualTo(DType.BF16);
        assertThat(back.model().parameters().get("lm_head.weight").toFloatArray()).containsExactly(lmHead.toFloats());
        assertThat(back.configJson().get("torch_dtype").asText()).isEqualTo("float32");
        assertThat(back.generationConfig().orElseThrow().doSample()).isTrue();
        assertThat(back.generationConfig().orElseThrow().json().get("top_p").asDouble()).isEqualTo(0.95);
      }
    }
  }

  @Test
  void missingTensorIsNamedWithItsExpectedShape() throws IOException {
    Path dir = editedGpt2(tensors -> tensors.removeIf(t -> t.name().equals("h.1.ln_2.bias")));
    assertThatThrownBy(() -> CheckpointReader.read(dir, m))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("missing tensor transformer.h.1.ln_2.bias")
        .hasMessageContaining("(32)");
  }

  @Test
  void misshapedTensorIsNamedWithExpectedAndFoundShapes() throws IOException {
    Path dir = editedGpt2(tensors -> {
      tensors.removeIf(t -> t.name().equals("h.0.mlp.c_fc.weight"));
      tensors.add(Tensor.ofFloats("h.0.mlp.c_fc.weight", new long[] {32, 100}, new float[3200]));
    });
    assertThatThrownBy(() -> CheckpointReader.read(dir, m))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("h.0.mlp.c_fc.weight")
        .hasMessageContaining("[32, 100]")
        .hasMessageContaining("expected [32, 128]");
  }

  @Test
  void tensorsTheConfigDoesNotExplainAreAnError() throws IOException {
    Path dir = editedGpt2(tensors -> tensors.add(Tensor.ofFloats("h.2.ln_1.weight", new long[] {32}, new float[32])));
    assertThatThrownBy(() -> CheckpointReader.read(dir, m))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("h.2.ln_1.weight")
        .hasMessageContaining("does not use");
  }

  @Test
  void valueHeadSavedInsideTheModelByTrlIsFound() throws IOException {
    Path dir = editedGpt2(tensors -> {
      tensors.add(Tensor.ofFloats("v_head.summary.weight", new long[] {1, 32}, new float[32]));
      tensors.add(Tensor.ofFloats("v_head.summary.bias", new long[] {1}, new float[] {0.25f}));
    });
    Files.delete(dir.resolve("value_head.safetensors"));
    try (Checkpoint c = CheckpointReader.read(dir, m)) {
      assertThat(c.valueHead().orElseThrow().parameters().get("v_head.summary.bias").getFloat()).isEqualTo(0.25f);
    }
  }

  @Test
  void tokenizerLargerThanTheEmbeddingIsRefused() throws IOException {
    Path dir = copy(Reference.folder("gpt2-tiny"), tmp.resolve("tok"));
    ObjectNode tok = (ObjectNode) ModelConfig.JSON.readTree(Files.readAllBytes(dir.resolve("tokenizer.json")));
    ((ObjectNode) tok.withArray("added_tokens").addObject()).put("id", 64).put("content", "<extra>").put("special", true);
    Files.write(dir.resolve("tokenizer.json"), ModelConfig.JSON.writeValueAsBytes(tok));
    assertThatThrownBy(() -> CheckpointReader.read(dir, m))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("tokenizer.json")
        .hasMessageContaining("<extra>")
        .hasMessageContaining("id 64")
        .hasMessageContaining("vocab_size is 64");
  }

  @Test
  void missingConfigFieldOrFilesAreNamed() throws IOException {
    Path dir = copy(Reference.folder("llama-tiny"), tmp.resolve("cfg"));
    ObjectNode cfg = (ObjectNode) ModelConfig.JSON.readTree(Files.readAllBytes(dir.resolve("config.json")));
    cfg.remove("num_hidden_layers");
    Files.write(dir.resolve("config.json"), ModelConfig.JSON.writeValueAsBytes(cfg));
    assertThatThrownBy(() -> CheckpointReader.read(dir, m))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(dir.resolve("config.json").toString())
        .hasMessageContaining("\"num_hidden_layers\" missing");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> CheckpointReader.read(empty, m))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("config.json: missing");
    Files.copy(Reference.folder("gpt2-tiny").resolve("config.json"), empty.resolve("config.json"));
    assertThatThrownBy(() -> CheckpointReader.read(empty, m))
        .isInstanceOf(ArtifactException.class).hasMessageContaining("no weights");
  }

  @Test
  void aShardThatLacksItsTensorIsNamed() throws IOException {
    Path dir = copy(Reference.folder("llama-tiny"), tmp.resolve("shards"));
    String index = Files.readString(dir.resolve("model.safetensors.index.json"));
    Files.writeString(dir.resolve("model.safetensors.index.json"),
        index.replace("\"lm_head.weight\": \"model-00002-of-00002", "\"lm_head.weight\": \"model-00001-of-00002"));
    assertThatThrownBy(() -> CheckpointReader.read(dir, m))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("model.safetensors.index.json")
        .hasMessageContaining("lm_head.weight");
  }

  @Test
  void writingReplacesAnOlderCheckpointWhole() throws IOException {
    try (Checkpoint c = CheckpointReader.read(Reference.folder("gpt2-tiny"), m)) {
      Path dir = tmp.resolve("ckpt");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("stale.txt"), "from an older run");
      CheckpointWriter.write(dir, c);
      assertThat(dir.resolve("stale.txt")).doesNotExist();
      assertThat(dir.resolve("config.json")).exists();
      try (Stream<Path> s = Files.list(tmp)) {
        assertThat(s.map(p -> p.getFileName().toString())).containsExactly("ckpt"); // no temp left
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"llama-tiny", "gpt2-tiny"})
  void freshUntiedModelWritesAConfigItReadsBack(String name) throws IOException {
    ObjectNode json = (ObjectNode) ModelConfig.JSON.readTree(Files.readAllBytes(Reference.folder(name).resolve("config.json")));
    json.put("tie_word_embeddings", false);
    ModelConfig config = ModelConfig.parse(json, name);
    assertThat(CausalLM.parameterShapes(config)).containsKey("lm_head.weight");
    try (CausalLM model = CausalLM.initialize(config, m, 3)) {
      Path dir = tmp.resolve("fresh");
      CheckpointWriter.write(dir, Checkpoint.of(model));
      try (Checkpoint back = CheckpointReader.read(dir, m)) {
        assertThat(back.model().config()).isEqualTo(config);
        assertSameTensors(model.parameters().asMap(), back.model().parameters().asMap());
        assertThat(back.generationConfig().orElseThrow().eosTokenIds()).containsExactly(config.eosTokenId().getAsInt());
        NDArray ids = m.create(new int[] {1, 5, 9}, new Shape(1, 3));
        NDArray mask = m.ones(new Shape(1, 3), ai.djl.ndarray.types.DataType.INT32);
        assertThat(back.model().logits(ids, mask).toFloatArray()).containsExactly(model.logits(ids, mask).toFloatArray());
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A copy of gpt2-tiny whose model.safetensors went through {@code edit}. */
  private Path editedGpt2(java.util.function.Consumer<List<Tensor>> edit) throws IOException {
    Path dir = copy(Reference.folder("gpt2-tiny"), tmp.resolve("edited"));
    List<Tensor> tensors = new ArrayList<>();
    try (SafetensorsFile f = Safetensors.read(dir.resolve("model.safetensors"))) {
      for (String n : f.names()) {
        Tensor t = f.get(n);
        tensors.add(Tensor.ofFloats(n, t.shape(), t.toFloats()));
      }
    }
    edit.accept(tensors);
    Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
    return dir;
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    return to;
  }

  private static ObjectNode withFloat32(ObjectNode n) {
    n.put("torch_dtype", "float32");
    return n;
  }

  static void assertSameTensors(Map<String, NDArray> a, Map<String, NDArray> b) {
    assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
    for (String k : a.keySet()) {
      assertThat(b.get(k).getShape()).as(k).isEqualTo(a.get(k).getShape());
      float[] x = a.get(k).toFloatArray();
      float[] y = b.get(k).toFloatArray();
      for (int i = 0; i < x.length; i++) {
        if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
          throw new AssertionError(k + "[" + i + "]: " + x[i] + " vs " + y[i]);
        }
      }
    }
  }

  static void assertSameFiles(Path a, Path b) throws IOException {
    List<String> names;
    try (Stream<Path> s = Files.list(a)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    try (Stream<Path> s = Files.list(b)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(names);
    }
    for (String n : names) {
      assertThat(Files.readAllBytes(b.resolve(n))).as(n).isEqualTo(Files.readAllBytes(a.resolve(n)));
    }
  }
}
