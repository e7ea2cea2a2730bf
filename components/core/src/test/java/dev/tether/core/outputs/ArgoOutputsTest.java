package dev.tether.core.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgoOutputsTest {

  @TempDir Path dir;

  private Map<String, String> files() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(dir).sorted()) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return out;
  }

  @Test
  void oneFilePerParameterHoldingExactlyTheValue() throws IOException {
    ArgoOutputs.writeParameters(dir.resolve("outputs"), Map.of(
        "kl", 0.0125, "reward", -1.5f, "beta", 0.1, "steps", 40, "promoted", true,
        "policy-digest", "sha256:" + "0".repeat(64)));
    dir = dir.resolve("outputs");
    assertThat(files()).containsExactly(
        Map.entry("beta", "0.1"),
        Map.entry("kl", "0.0125"),
        Map.entry("policy-digest", "sha256:" + "0".repeat(64)),
        Map.entry("promoted", "true"),
        Map.entry("reward", "-1.5"),
        Map.entry("steps", "40"));
  }

  @Test
  void rewritingReplacesTheValue() throws IOException {
    ArgoOutputs.writeParameters(dir, Map.of("kl", 0.5));
    ArgoOutputs.writeParameters(dir, Map.of("kl", 0.25));
    assertThat(files()).containsExactly(Map.entry("kl", "0.25"));
  }

  @Test
  void aNonFiniteValueWritesNothingAndNamesTheParameter() throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("beta", 0.1);
    values.put("kl", Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> ArgoOutputs.writeParameters(dir, values))
        .hasMessage("output parameter 'kl': expected a finite number, found Infinity");
    assertThat(files()).isEmpty();
  }

  @Test
  void namesMustBeArgoParameterNames() {
    assertThatThrownBy(() -> ArgoOutputs.writeParameters(dir, Map.of("../kl", 1)))
        .hasMessage("output parameter '../kl': expected a name of letters, digits, '_' or '-'");
  }
}
