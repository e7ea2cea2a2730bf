package dev.tether.models.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.ValueHead;
import dev.tether.models.train.AdamW;
import java.util.Map;
import java.util.Optional;

/**
 * A policy checkpoint in the Hugging Face layout plus tether's files (DESIGN.md, 4):
 * {@code config.json}, {@code model.safetensors}, {@code generation_config.json}, the tokenizer
 * files, and optionally {@code value_head.safetensors}, {@code optimizer.safetensors},
 * {@code trainer_state.json}. Closing it frees the arrays of the model, value head and optimizer.
 *
 * @param configJson the config.json written back (the file read, so unknown fields survive)
 * @param tokenizerFiles file name → bytes, copied verbatim (tokenizer.json and its companions)
 */
public record Checkpoint(
    ObjectNode configJson,
    CausalLM model,
    Optional<ValueHead> valueHead,
    Optional<GenerationConfig> generationConfig,
    Map<String, byte[]> tokenizerFiles,
    Optional<AdamW> optimizer,
    Optional<TrainerState> trainerState)
    implements AutoCloseable {

  public Checkpoint {
    configJson = configJson.deepCopy();
    tokenizerFiles = Map.copyOf(tokenizerFiles);
  }

  /** A checkpoint of just a model, its config.json generated from its config. */
  public static Checkpoint of(CausalLM model) {
    return new Checkpoint(model.config().toJson(), model, Optional.empty(), Optional.empty(), Map.of(),
        Optional.empty(), Optional.empty());
  }

  @Override
  public ObjectNode configJson() {
    return configJson.deepCopy();
  }

  public Checkpoint withValueHead(ValueHead head) {
    return new Checkpoint(configJson, model, Optional.of(head), generationConfig, tokenizerFiles, optimizer, trainerState);
  }

  public Checkpoint withGenerationConfig(GenerationConfig g) {
    return new Checkpoint(configJson, model, valueHead, Optional.of(g), tokenizerFiles, optimizer, trainerState);
  }

  public Checkpoint withTokenizerFiles(Map<String, byte[]> files) {
    return new Checkpoint(configJson, model, valueHead, generationConfig, files, optimizer, trainerState);
  }

  public Checkpoint withOptimizer(AdamW adam) {
    return new Checkpoint(configJson, model, valueHead, generationConfig, tokenizerFiles, Optional.of(adam), trainerState);
  }

  public Checkpoint withTrainerState(TrainerState state) {
    return new Checkpoint(configJson, model, valueHead, generationConfig, tokenizerFiles, optimizer, Optional.of(state));
  }

  @Override
  public void close() {
    optimizer.ifPresent(AdamW::close);
    valueHead.ifPresent(ValueHead::close);
    model.close();
  }
}
