package dev.tether.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The fields of {@code generation_config.json} that sampling uses. {@link #json()} keeps the whole
 * file, so a checkpoint written back carries the fields tether does not read.
 */
public record GenerationConfig(
    OptionalInt bosTokenId,
    List<Integer> eosTokenIds,
    OptionalInt padTokenId,
    boolean doSample,
    double temperature,
    int topK,
    double topP,
    OptionalInt maxNewTokens,
    ObjectNode json) {

  /** Reads the file; absent fields take transformers' GenerationConfig defaults. */
  public static GenerationConfig read(Path file) {
    JsonNode root;
    try {
      root = ModelConfig.JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ArtifactException(file + ": not readable JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ArtifactException(file + ": expected a JSON object");
    }
    return parse((ObjectNode) root, file.toString());
  }

  public static GenerationConfig parse(ObjectNode root, String source) {
    JsonFields f = new JsonFields(root, source);
    List<Integer> eos = new ArrayList<>();
    JsonNode e = root.get("eos_token_id");
    if (e != null && e.isArray()) {
      for (JsonNode id : e) {
        if (!id.isIntegralNumber()) {
          throw f.error("eos_token_id", "expected integers, found " + e);
        }
        eos.add(id.asInt());
      }
    } else {
      f.optInt("eos_token_id").ifPresent(eos::add);
    }
    double temperature = f.optDouble("temperature", 1.0);
    f.requirePositive("temperature", temperature);
    int topK = f.optInt("top_k", 50);
    if (topK < 0) {
      throw f.error("top_k", "must be ≥ 0, found " + topK);
    }
    double topP = f.optDouble("top_p", 1.0);
    if (!(topP > 0 && topP <= 1)) {
      throw f.error("top_p", "must lie in (0, 1], found " + topP);
    }
    OptionalInt maxNew = f.optInt("max_new_tokens");
    if (maxNew.isPresent()) {
      f.requirePositive("max_new_tokens", maxNew.getAsInt());
    }
    return new GenerationConfig(
        f.optTokenId("bos_token_id"), List.copyOf(eos), f.optTokenId("pad_token_id"),
        f.optBoolean("do_sample", false), temperature, topK, topP, maxNew, root.deepCopy());
  }

  /** The generation config transformers derives from a model config (bos/eos only). */
  public static GenerationConfig fromModel(ModelConfig config) {
    ObjectNode n = ModelConfig.JSON.createObjectNode();
    config.bosTokenId().ifPresent(id -> n.put("bos_token_id", id));
    config.eosTokenId().ifPresent(id -> n.put("eos_token_id", id));
    n.put("_from_model_config", true);
    return parse(n, "generation config derived from config.json");
  }

  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }
}
