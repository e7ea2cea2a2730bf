package dev.tether.models.checkpoint;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Checkpoint} as a folder Hugging Face transformers loads
 * ({@code from_pretrained}) and tether reads back bit for bit. The folder appears whole or not at
 * all: it is written beside the target under a temporary name, then renamed into place.
 */
public final class CheckpointWriter {

  /** transformers refuses safetensors files without a format tag. */
  private static final Map<String, String> PT = Map.of("format", "pt");

  private CheckpointWriter() {}

  public static void write(Path dir, Checkpoint c) {
    Path parent = dir.toAbsolutePath().getParent();
    Path tmp = parent.resolve("." + dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createDirectories(tmp);
      writeInto(tmp, c);
      replace(tmp, dir.toAbsolutePath());
    } catch (IOException e) {
      throw new ArtifactException(dir + ": cannot write checkpoint: " + e.getMessage(), e);
    } finally {
      if (Files.exists(tmp)) {
        try {
          AtomicFiles.deleteRecursively(tmp);
        } catch (IOException ignored) {
          // the temp folder is hidden; a later write uses another name
        }
      }
    }
  }

  /**
   * Writes the checkpoint's files into {@code dir}, an existing directory that is itself not yet
   * visible (an {@code ArtifactWriter}'s), which makes the whole folder appear atomically.
   */
  public static void writeFiles(Path dir, Checkpoint c) {
    try {
      writeInto(dir, c);
    } catch (IOException e) {
      throw new ArtifactException(dir + ": cannot write checkpoint: " + e.getMessage(), e);
    }
  }

  private static void writeInto(Path dir, Checkpoint c) throws IOException {
    // Weights are written as F32 whatever they were read as, so say so in the config.
    ObjectNode config = c.configJson();
    config.put("torch_dtype", "float32");
    writeJson(dir.resolve(CheckpointReader.CONFIG), config);

    Safetensors.write(dir.resolve(WeightFiles.SINGLE), tensors(c.model().parameters().asMap()), PT);
    GenerationConfig generation = c.generationConfig()
        .orElseGet(() -> GenerationConfig.fromModel(c.model().config()));
    writeJson(dir.resolve(CheckpointReader.GENERATION_CONFIG), generation.json());
    for (Map.Entry<String, byte[]> f : c.tokenizerFiles().entrySet()) {
      AtomicFiles.write(dir.resolve(f.getKey()), f.getValue());
    }
    if (c.valueHead().isPresent()) {
      Safetensors.write(dir.resolve(CheckpointReader.VALUE_HEAD),
          tensors(c.valueHead().get().parameters().asMap()), PT);
    }
    if (c.optimizer().isPresent()) {
      Safetensors.write(dir.resolve(CheckpointReader.OPTIMIZER), c.optimizer().get().stateTensors(),
          c.optimizer().get().metadata());
    }
    if (c.trainerState().isPresent()) {
      writeJson(dir.resolve(CheckpointReader.TRAINER_STATE), c.trainerState().get().toJson());
    }
  }

  private static List<Tensor> tensors(Map<String, NDArray> arrays) {
    List<Tensor> out = new ArrayList<>();
    arrays.forEach((name, a) -> out.add(TensorArrays.toTensor(name, a)));
    return out;
  }

  private static void writeJson(Path file, ObjectNode json) throws IOException {
    byte[] bytes = ModelConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
    AtomicFiles.write(file, bytes);
  }

  /** Moves {@code tmp} to {@code target}, replacing a folder already there. */
  private static void replace(Path tmp, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(target.getParent());
    if (old != null) {
      AtomicFiles.deleteRecursively(old);
    }
  }
}
