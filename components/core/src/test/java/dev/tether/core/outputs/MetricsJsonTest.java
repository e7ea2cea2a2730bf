package dev.tether.core.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsJsonTest {

  @TempDir Path dir;

  @Test
  void writesSortedPrettyJsonAndReadsItBack() throws IOException {
    Path file = dir.resolve(MetricsJson.FILE_NAME);
    MetricsJson.write(file, Map.of("reward", 1.25, "kl", 0.01, "steps", 3));
    assertThat(Files.readString(file))
        .isEqualTo("{\n  \"kl\": 0.01,\n  \"reward\": 1.25,\n  \"steps\": 3\n}\n");
    assertThat(MetricsJson.read(file))
        .containsExactly(Map.entry("kl", 0.01), Map.entry("reward", 1.25), Map.entry("steps", 3.0));
  }

  @Test
  void nonFiniteMetricsAreRefusedByName() {
    Path file = dir.resolve("metrics.json");
    assertThatThrownBy(() -> MetricsJson.write(file, Map.of("kl", 0.1, "approx_kl", Double.NaN)))
        .hasMessage("metric 'approx_kl': expected a finite number, found NaN");
    assertThat(file).doesNotExist();
  }

  @Test
  void readingRefusesNonNumbers() throws IOException {
    Path file = Files.writeString(dir.resolve("metrics.json"), "{\"kl\": \"high\"}");
    assertThatThrownBy(() -> MetricsJson.read(file))
        .hasMessage(file + ": metric 'kl': expected a number, found \"high\"");
  }
}
