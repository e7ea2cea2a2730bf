package dev.tether.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.models.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code trainer_state.json}: where training stands. {@code beta} is the β controller's state,
 * opaque here (the controller owns its schema), so a resumed run continues with the β it had.
 */
public record TrainerState(long iteration, long seed, JsonNode beta) {

  public TrainerState {
    Objects.requireNonNull(beta, "beta");
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be ≥ 0, found " + iteration);
    }
  }

  ObjectNode toJson() {
    ObjectNode n = ModelConfig.JSON.createObjectNode();
    n.put("iteration", iteration);
    n.put("seed", seed);
    n.set("beta", beta.deepCopy());
    return n;
  }

  static TrainerState read(Path file) {
    JsonNode root;
    try {
      root = ModelConfig.JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ArtifactException(file + ": not readable JSON: " + e.getMessage(), e);
    }
    for (String field : new String[] {"iteration", "seed", "beta"}) {
      if (root == null || !root.has(field)) {
        throw new ArtifactException(file + ": field \"" + field + "\" missing");
      }
    }
    if (!root.get("iteration").canConvertToLong() || !root.get("iteration").isIntegralNumber()) {
      throw new ArtifactException(file + ": field \"iteration\" expected an integer, found " + root.get("iteration"));
    }
    if (!root.get("seed").isIntegralNumber() || !root.get("seed").canConvertToLong()) {
      throw new ArtifactException(file + ": field \"seed\" expected an integer, found " + root.get("seed"));
    }
    return new TrainerState(root.get("iteration").asLong(), root.get("seed").asLong(), root.get("beta"));
  }
}
