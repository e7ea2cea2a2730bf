package dev.tether.models.checkpoint;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.config.GPT2Config;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Parameters;
import dev.tether.models.nn.ValueHead;
import dev.tether.models.train.AdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a Hugging Face checkpoint folder (a Hub download or one tether wrote). Weight names are
 * matched with or without the {@code transformer.} / {@code model.} prefix (GPT-2 on the Hub has
 * none), F16 and BF16 are up-cast to F32, and the config is checked against every tensor.
 */
public final class CheckpointReader {

  public static final String CONFIG = "config.json";
  public static final String GENERATION_CONFIG = "generation_config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String VALUE_HEAD = "value_head.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String TRAINER_STATE = "trainer_state.json";

  /** Copied along with tokenizer.json when present. */
  public static final List<String> TOKENIZER_FILES =
      List.of(TOKENIZER, "tokenizer_config.json", "special_tokens_map.json");

  /** Buffers older checkpoints carry that are not weights: GPT-2's causal masks, RoPE tables. */
  private static final Pattern BUFFERS =
      Pattern.compile("(^|.*\\.)(attn\\.bias|attn\\.masked_bias|rotary_emb\\.inv_freq)$");

  private CheckpointReader() {}

  /** Reads everything the folder holds; the arrays live under {@code manager}. */
  public static Checkpoint read(Path dir, NDManager manager) {
    ObjectNode configJson = readConfigJson(dir);
    ModelConfig config = ModelConfig.parse(configJson, dir.resolve(CONFIG).toString());
    Map<String, byte[]> tokenizerFiles = readTokenizerFiles(dir, config);
    CausalLM model = readModel(dir, config, manager);
    try {
      Optional<GenerationConfig> generation = Files.exists(dir.resolve(GENERATION_CONFIG))
          ? Optional.of(GenerationConfig.read(dir.resolve(GENERATION_CONFIG)))
          : Optional.empty();
      return new Checkpoint(configJson, model, readValueHead(dir, config, manager), generation,
          tokenizerFiles, readOptimizer(dir, manager), readTrainerState(dir));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public static ModelConfig readConfig(Path dir) {
    return ModelConfig.parse(readConfigJson(dir), dir.resolve(CONFIG).toString());
  }

  private static ObjectNode readConfigJson(Path dir) {
    Path file = dir.resolve(CONFIG);
    if (!Files.exists(file)) {
      throw new ArtifactException(file + ": missing (a checkpoint needs config.json)");
    }
    try {
      JsonNode n = ModelConfig.JSON.readTree(Files.readAllBytes(file));
      if (n == null || !n.isObject()) {
        throw new ArtifactException(file + ": expected a JSON object");
      }
      return (ObjectNode) n;
    } catch (IOException e) {
      throw new ArtifactException(file + ": not readable JSON: " + e.getMessage(), e);
    }
  }

  /** The policy's weights, checked name by name and shape by shape against {@code config}. */
  public static CausalLM readModel(Path dir, ModelConfig config, NDManager manager) {
    Map<String, Shape> expected = CausalLM.parameterShapes(config);
    String prefix = config instanceof GPT2Config ? "transformer." : "model.";
    try (WeightFiles files = WeightFiles.open(dir)) {
      Map<String, String> stored = new LinkedHashMap<>(); // our name → name in the file
      for (Map.Entry<String, Shape> e : expected.entrySet()) {
        String name = e.getKey();
        String bare = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        String found = files.contains(name) ? name : files.contains(bare) ? bare : null;
        if (found == null) {
          throw new ArtifactException(files.description() + ": missing tensor " + name
              + " (expected shape " + e.getValue() + " from " + CONFIG + ")");
        }
        long[] shape = files.shape(found);
        if (!Arrays.equals(shape, e.getValue().getShape())) {
          throw new ArtifactException(files.description() + ": tensor " + found + " has shape "
              + Arrays.toString(shape) + ", expected " + Arrays.toString(e.getValue().getShape())
              + " from " + CONFIG);
        }
        stored.put(name, found);
      }
      checkNoStrangers(files, new HashSet<>(stored.values()), config);

      NDManager sub = manager.newSubManager();
      try {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : stored.entrySet()) {
          Tensor t = files.get(e.getValue());
          if (!t.dtype().isFloatingPoint()) {
            throw new ArtifactException(files.description() + ": tensor " + e.getValue()
                + " is " + t.dtype() + ", expected F32, F16 or BF16");
          }
          NDArray a = TensorArrays.toFloatArray(t, sub);
          a.setName(e.getKey());
          arrays.put(e.getKey(), a);
        }
        return CausalLM.create(config, Parameters.of(sub, expected, arrays));
      } catch (RuntimeException e) {
        sub.close();
        throw e;
      }
    }
  }

  private static void checkNoStrangers(WeightFiles files, Set<String> used, ModelConfig config) {
    List<String> strangers = files.names().stream()
        .filter(n -> !used.contains(n))
        .filter(n -> !BUFFERS.matcher(n).matches())
        .filter(n -> !n.startsWith("v_head.")) // TRL saves its value head inside the model
        .filter(n -> !(config.tieWordEmbeddings() && n.equals("lm_head.weight"))) // tied: a copy of the embedding
        .collect(Collectors.toList());
    if (!strangers.isEmpty()) {
      throw new ArtifactException(files.description() + ": " + strangers.size() + " tensors "
          + config.modelType() + " does not use, e.g. "
          + strangers.subList(0, Math.min(5, strangers.size())) + " (is config.json from another model?)");
    }
  }

  /** value_head.safetensors, or a TRL value head saved inside the model weights, if any. */
  public static Optional<ValueHead> readValueHead(Path dir, ModelConfig config, NDManager manager) {
    Path file = dir.resolve(VALUE_HEAD);
    Map<String, Shape> expected = ValueHead.parameterShapes(config.hiddenSize());
    if (Files.exists(file)) {
      try (SafetensorsFile f = Safetensors.read(file)) {
        return Optional.of(new ValueHead(loadExact(f::contains, f::get, expected, file.toString(), f.names(), manager)));
      }
    }
    try (WeightFiles files = WeightFiles.open(dir)) {
      if (!files.contains(ValueHead.WEIGHT)) {
        return Optional.empty();
      }
      List<String> names = files.names().stream().filter(n -> n.startsWith("v_head.")).toList();
      return Optional.of(new ValueHead(
          loadExact(files::contains, files::get, expected, files.description(), names, manager)));
    }
  }

  private static Parameters loadExact(
      java.util.function.Predicate<String> contains,
      java.util.function.Function<String, Tensor> get,
      Map<String, Shape> expected,
      String source,
      List<String> names,
      NDManager manager) {
    for (String n : names) {
      if (!expected.containsKey(n)) {
        throw new ArtifactException(source + ": unexpected tensor " + n + " (expected " + expected.keySet() + ")");
      }
    }
    NDManager sub = manager.newSubManager();
    try {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (Map.Entry<String, Shape> e : expected.entrySet()) {
        if (!contains.test(e.getKey())) {
          throw new ArtifactException(source + ": missing tensor " + e.getKey() + " (expected shape " + e.getValue() + ")");
        }
        Tensor t = get.apply(e.getKey());
        if (!Arrays.equals(t.shape(), e.getValue().getShape())) {
          throw new ArtifactException(source + ": tensor " + e.getKey() + " has shape "
              + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue().getShape()));
        }
        arrays.put(e.getKey(), TensorArrays.toFloatArray(t, sub));
      }
      return Parameters.of(sub, expected, arrays);
    } catch (RuntimeException e) {
      sub.close();
      throw e;
    }
  }

  public static Optional<AdamW> readOptimizer(Path dir, NDManager manager) {
    Path file = dir.resolve(OPTIMIZER);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (SafetensorsFile f = Safetensors.read(file)) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (String n : f.names()) {
        tensors.put(n, f.get(n));
      }
      return Optional.of(AdamW.restore(manager, tensors, f.metadata(), file.toString()));
    }
  }

  public static Optional<TrainerState> readTrainerState(Path dir) {
    Path file = dir.resolve(TRAINER_STATE);
    return Files.exists(file) ? Optional.of(TrainerState.read(file)) : Optional.empty();
  }

  /**
   * The tokenizer files, after checking every token id of tokenizer.json fits the embedding
   * (a larger vocabulary would index past the embedding matrix at the first rare token).
   */
  public static Map<String, byte[]> readTokenizerFiles(Path dir, ModelConfig config) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Path tokenizer = dir.resolve(TOKENIZER);
    if (!Files.exists(tokenizer)) {
      return out;
    }
    checkTokenizerVocab(tokenizer, config);
    for (String name : TOKENIZER_FILES) {
      Path p = dir.resolve(name);
      if (Files.exists(p)) {
        try {
          out.put(name, Files.readAllBytes(p));
        } catch (IOException e) {
          throw new ArtifactException(p + ": cannot read: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  /** The folder's tokenizer.json through DJL's Hugging Face tokenizers (offline, native). */
  public static HuggingFaceTokenizer openTokenizer(Path dir, ModelConfig config) {
    Path tokenizer = dir.resolve(TOKENIZER);
    if (!Files.exists(tokenizer)) {
      throw new ArtifactException(tokenizer + ": missing");
    }
    checkTokenizerVocab(tokenizer, config);
    try {
      return HuggingFaceTokenizer.newInstance(tokenizer, Map.of());
    } catch (IOException | RuntimeException e) {
      throw new ArtifactException(tokenizer + ": cannot load: " + e.getMessage(), e);
    }
  }

  private static void checkTokenizerVocab(Path tokenizer, ModelConfig config) {
    JsonNode root;
    try {
      root = ModelConfig.JSON.readTree(Files.readAllBytes(tokenizer));
    } catch (IOException e) {
      throw new ArtifactException(tokenizer + ": not readable JSON: " + e.getMessage(), e);
    }
    long maxId = -1;
    String maxToken = null;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) { // WordLevel, BPE, WordPiece: token → id
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().asLong() > maxId) {
          maxId = e.getValue().asLong();
          maxToken = e.getKey();
        }
      }
    } else if (vocab.isArray()) { // Unigram: [piece, score] at index = id
      maxId = vocab.size() - 1;
      maxToken = vocab.size() > 0 ? vocab.get(vocab.size() - 1).path(0).asText() : null;
    }
    for (JsonNode added : root.path("added_tokens")) {
      if (added.path("id").asLong() > maxId) {
        maxId = added.path("id").asLong();
        maxToken = added.path("content").asText();
      }
    }
    if (maxId >= config.vocabSize()) {
      throw new ArtifactException(tokenizer + ": token \"" + maxToken + "\" has id " + maxId
          + ", but config.json vocab_size is " + config.vocabSize()
          + " (the tokenizer's vocabulary is larger than the embedding)");
    }
  }
}
