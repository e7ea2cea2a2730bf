package dev.tether.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;

/** A causal language model's shape, as a Hugging Face {@code config.json} states it. */
public sealed interface ModelConfig permits GPT2Config, LlamaConfig {

  ObjectMapper JSON = new ObjectMapper();

  /** The {@code model_type} field: "gpt2" or "llama". */
  String modelType();

  int vocabSize();

  int hiddenSize();

  int numLayers();

  int maxPositionEmbeddings();

  boolean tieWordEmbeddings();

  OptionalInt bosTokenId();

  OptionalInt eosTokenId();

  /** A complete {@code config.json} that Hugging Face transformers loads as this model. */
  ObjectNode toJson();

  /** Reads {@code config.json}; every error names the file and the field. */
  static ModelConfig read(Path configJson) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(configJson));
    } catch (NoSuchFileException e) {
      throw new ArtifactException(configJson + ": missing (a Hugging Face config.json is required)");
    } catch (IOException e) {
      throw new ArtifactException(configJson + ": not readable JSON: " + e.getMessage(), e);
    }
    return parse(root, configJson.toString());
  }

  /** Parses a {@code config.json} tree; {@code source} names it in errors. */
  static ModelConfig parse(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new ArtifactException(source + ": expected a JSON object");
    }
    JsonFields f = new JsonFields(root, source);
    if (!f.has("model_type")) {
      throw f.error("model_type", "missing (expected \"gpt2\" or \"llama\")");
    }
    String type = f.optString("model_type", "");
    return switch (type) {
      case "gpt2" -> GPT2Config.parse(f);
      case "llama" -> LlamaConfig.parse(f);
      default -> throw f.error("model_type", "is \"" + type + "\"; supported: \"gpt2\", \"llama\"");
    };
  }
}
