package dev.tether.models.onnx;

import static dev.tether.models.onnx.GraphBuilder.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading checks an ONNX model's signature before ONNX Runtime sees it: a model without
 * {@code input_ids} / {@code attention_mask} inputs or a {@code logits} output, or with inputs
 * tether cannot feed, is refused with one line naming the file, what was expected and what was
 * found.
 */
class OnnxSignatureTest {

  @TempDir Path tmp;

  @Test
  void modelWithOtherInputNamesIsRefusedByTheLoader() {
    Path file = write("renamed.onnx", b -> {
      String ids = b.input("ids", GraphBuilder.INT64, "batch", "sequence");
      b.input("mask", GraphBuilder.INT64, "batch", "sequence");
      logitsFrom(b, ids, 3);
    });
    assertThatThrownBy(() -> OnnxScorer.load(file))
        .isInstanceOf(ArtifactException.class)
        .hasMessageStartingWith(file + ": no input input_ids; no input attention_mask;"
            + " inputs tether cannot feed: [ids, mask].")
        .hasMessageContaining("Expected inputs input_ids int64 [batch, sequence], attention_mask int64"
            + " [batch, sequence] and output logits float [batch, sequence, vocab] or [batch, num_labels]")
        .hasMessageContaining("found inputs {ids int64 [batch, sequence], mask int64 [batch, sequence]},"
            + " outputs {logits float [batch, sequence, 1]}")
        .message().doesNotContain("\n");
  }

  @Test
  void modelWithoutLogitsOutputIsRefused() {
    Path file = write("scores.onnx", b -> {
      String ids = hfInputs(b);
      String f = b.op("Cast", List.of(ids), attr("to", (long) GraphBuilder.FLOAT));
      b.node("Identity", List.of(f), List.of("scores"));
      b.output("scores", GraphBuilder.FLOAT, "batch", "sequence");
    });
    assertThatThrownBy(() -> OnnxSignature.read(file).require(3, 2))
        .isInstanceOf(ArtifactException.class)
        .hasMessageStartingWith(file + ": no output logits.")
        .hasMessageContaining("outputs {scores float [batch, sequence]}");
  }

  @Test
  void wrongTypesAndRanksAreNamed() {
    Path file = write("float-ids.onnx", b -> {
      String ids = b.input("input_ids", GraphBuilder.FLOAT, "batch", "sequence");
      b.input("attention_mask", GraphBuilder.INT64, "batch", "sequence");
      String u = b.op("Unsqueeze", ids, b.ints(2, 3)); // [B,T,1,1]
      b.node("Identity", List.of(u), List.of("logits"));
      b.output("logits", GraphBuilder.FLOAT, "batch", "sequence", 1, 1);
    });
    assertThatThrownBy(() -> OnnxSignature.read(file).require(3))
        .hasMessageStartingWith(file + ": input input_ids float [batch, sequence] is not int64"
            + " [batch, sequence]; output logits float [batch, sequence, 1, 1] is not float"
            + " [batch, sequence, vocab].");
  }

  @Test
  void inputsTetherCannotFeedAreNamed() {
    Path file = write("with-cache.onnx", b -> {
      String ids = hfInputs(b);
      b.input("past_key_values.0.key", GraphBuilder.FLOAT, "batch", 2, "past", 4);
      logitsFrom(b, ids, 3);
    });
    assertThatThrownBy(() -> OnnxScorer.load(file))
        .hasMessageStartingWith(file + ": inputs tether cannot feed: [past_key_values.0.key].");
  }

  @Test
  void filesThatAreNotOnnxModelsAreNamed() throws IOException {
    Path text = tmp.resolve("notes.onnx");
    Files.writeString(text, "this is not a protobuf");
    assertThatThrownBy(() -> OnnxSignature.read(text))
        .isInstanceOf(ArtifactException.class)
        .hasMessageStartingWith(text + ": not an ONNX model");
    Path missing = tmp.resolve("missing.onnx");
    assertThatThrownBy(() -> OnnxScorer.load(missing))
        .hasMessage(missing + ": no such file (an ONNX model was expected)");
  }

  @Test
  void exportedModelsPassAndCarryTheirMetadata() {
    Path file = write("good.onnx", b -> logitsFrom(b, hfInputs(b), 3));
    OnnxSignature s = OnnxSignature.read(file).require(3);
    assertThat(s.inputs().keySet()).containsExactly("input_ids", "attention_mask");
    assertThat(s.inputs().get("input_ids").dims()).containsExactly("batch", "sequence");
    assertThat(s.outputs().get("logits").dims()).containsExactly("batch", "sequence", "1");
    assertThat(s.logitsRank()).isEqualTo(3);
    assertThat(s.metadata("tether.task")).contains("test");
    assertThatThrownBy(() -> s.require(2)).hasMessageContaining("is not float [batch, num_labels]");
  }

  /**
   * A model that also takes position_ids and token_type_ids gets them: positions from the mask
   * (cumsum − 1, clamped at 0) and zeros. Its "logits" [B,T] are 10·position + token type, so
   * they show what was fed; a classifier-shaped model refuses response log-probs.
   */
  @Test
  void optionalInputsAreFedPositionsAndZeros() {
    Path file = write("positions.onnx", b -> {
      hfInputs(b);
      String pos = b.input("position_ids", GraphBuilder.INT64, "batch", "sequence");
      String types = b.input("token_type_ids", GraphBuilder.INT64, "batch", "sequence");
      String sum = b.op("Add", b.op("Mul", pos, b.ints(10)), types);
      b.node("Cast", List.of(sum), List.of("logits"), attr("to", (long) GraphBuilder.FLOAT));
      b.output("logits", GraphBuilder.FLOAT, "batch", "sequence");
    });
    TokenBatch batch = TokenBatch.of(
        new long[][] {{0, 0, 5, 6, 7}, {4, 3, 2, 1, 0}},
        new long[][] {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 0}});
    try (OnnxScorer scorer = OnnxScorer.load(file)) {
      float[][] logits = scorer.sequenceLogits(batch);
      assertThat(logits[0]).containsExactly(0, 0, 0, 10, 20);
      assertThat(logits[1]).containsExactly(0, 10, 20, 30, 30);
      assertThatThrownBy(() -> scorer.responseLogProbs(batch, 2, 1f))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("response log-probs need logits of rank 3");
    }
  }

  // ---------------------------------------------------------------- tiny models

  private Path write(String name, Consumer<GraphBuilder> body) {
    GraphBuilder b = new GraphBuilder("test");
    body.accept(b);
    Path file = tmp.resolve(name);
    new OnnxModel(b.graph(), b.weights(), Map.of("tether.task", "test")).write(file);
    return file;
  }

  private static String hfInputs(GraphBuilder b) {
    String ids = b.input("input_ids", GraphBuilder.INT64, "batch", "sequence");
    b.input("attention_mask", GraphBuilder.INT64, "batch", "sequence");
    return ids;
  }

  /** logits = float(ids) with a trailing axis of 1: [B,T,1]. */
  private static void logitsFrom(GraphBuilder b, String ids, int rank) {
    String f = b.op("Cast", List.of(ids), attr("to", (long) GraphBuilder.FLOAT));
    b.node("Unsqueeze", List.of(f, b.ints(2)), List.of("logits"));
    b.output("logits", GraphBuilder.FLOAT, "batch", "sequence", 1);
  }
}
