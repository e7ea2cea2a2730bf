package dev.tether.core.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ExecutorOutput a tether step writes, checked field by field against what the KFP v2 launcher
 * reads (see {@link KfpOutputs} for the sources).
 */
class KfpOutputsTest {

  private static final String METRICS_URI =
      "minio://mlpipeline/v2/artifacts/tether-ppo/run-7/ppo-update/metrics";

  @TempDir Path tmp;

  private KfpExecutorInput input;

  /** An executor input as the KFP v2 driver builds it for a component with these outputs. */
  @BeforeEach
  void executorInput() {
    String json = """
        {
          "inputs": {
            "parameterValues": {"beta": 0.1, "model": "tiny-gpt", "steps": 40},
            "artifacts": {
              "rollout": {"artifacts": [{
                "name": "rollout", "uri": "s3://bucket/run-7/rollout/rollout",
                "type": {"schemaTitle": "system.Artifact", "schemaVersion": "0.0.1"},
                "metadata": {}
              }]}
            }
          },
          "outputs": {
            "artifacts": {
              "metrics": {"artifacts": [{
                "name": "metrics", "uri": "%s",
                "type": {"schemaTitle": "system.Metrics", "schemaVersion": "0.0.1"}
              }]},
              "report": {"artifacts": [{
                "name": "report", "uri": "gs://bucket/run-7/report",
                "type": {"schemaTitle": "system.Markdown", "schemaVersion": "0.0.1"}
              }]}
            },
            "parameters": {
              "kl": {"outputFile": "%s/tmp/outputs/kl/data"},
              "beta_next": {"outputFile": "%s/tmp/outputs/beta_next/data"},
              "promoted": {"outputFile": "%s/tmp/outputs/promoted/data"}
            },
            "outputFile": "%s/tmp/kfp_outputs/output_metadata.json"
          }
        }
        """.formatted(METRICS_URI, tmp, tmp, tmp, tmp);
    input = KfpExecutorInput.parse(json, tmp.resolve("mnt"));
  }

  private JsonNode writeAndRead(KfpOutputs outputs) throws IOException {
    Path file = outputs.write();
    assertThat(file).isEqualTo(tmp.resolve("tmp/kfp_outputs/output_metadata.json"));
    return CanonicalJson.mapper().readTree(file.toFile());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  @Test
  void metricsGoToTheArtifactsMetadataInTheExecutorOutput() throws IOException {
    JsonNode out = writeAndRead(KfpOutputs.of(input)
        .metrics("metrics", Map.of("kl", 0.0125, "reward", 1.5, "steps", 40)));
    // protojson rejects unknown fields: ExecutorOutput has only artifacts and parameterValues.
    assertThat(fieldNames(out)).containsExactly("artifacts");
    JsonNode list = out.at("/artifacts/metrics/artifacts");
    assertThat(list.isArray()).isTrue();
    assertThat(list.size()).isEqualTo(1);
    JsonNode artifact = list.get(0);
    assertThat(fieldNames(artifact)).containsExactly("metadata", "name", "uri");
    assertThat(artifact.get("name").textValue()).isEqualTo("metrics");
    assertThat(artifact.get("uri").textValue()).isEqualTo(METRICS_URI);
    assertThat(artifact.at("/metadata/kl").isNumber()).isTrue();
    assertThat(artifact.at("/metadata/kl").doubleValue()).isEqualTo(0.0125);
    assertThat(artifact.at("/metadata/reward").doubleValue()).isEqualTo(1.5);
    assertThat(artifact.at("/metadata/steps").intValue()).isEqualTo(40);
  }

  @Test
  void metricsAreAlsoAJsonFileAtTheArtifactsLocalPath() throws IOException {
    KfpOutputs.of(input).metrics("metrics", Map.of("kl", 0.0125)).write();
    Path local = tmp.resolve("mnt/minio/mlpipeline/v2/artifacts/tether-ppo/run-7/ppo-update/metrics");
    assertThat(MetricsJson.read(local)).containsExactly(Map.entry("kl", 0.0125));
  }

  @Test
  void parametersGoToParameterValuesAndTheirOutputFiles() throws IOException {
    JsonNode out = writeAndRead(KfpOutputs.of(input)
        .parameter("kl", 0.0125).parameter("beta_next", 0.11f).parameter("promoted", false));
    assertThat(fieldNames(out)).containsExactly("parameterValues");
    JsonNode values = out.get("parameterValues");
    assertThat(values.get("kl").isNumber()).isTrue();
    assertThat(values.get("kl").doubleValue()).isEqualTo(0.0125);
    assertThat(values.get("beta_next").floatValue()).isEqualTo(0.11f);
    assertThat(values.get("promoted").isBoolean()).isTrue();
    assertThat(values.get("promoted").booleanValue()).isFalse();
    assertThat(Files.readString(tmp.resolve("tmp/outputs/kl/data"))).isEqualTo("0.0125");
    assertThat(Files.readString(tmp.resolve("tmp/outputs/beta_next/data"))).isEqualTo("0.11");
    assertThat(Files.readString(tmp.resolve("tmp/outputs/promoted/data"))).isEqualTo("false");
  }

  @Test
  void aMarkdownReportIsWrittenAtItsLocalPathAndListedInTheExecutorOutput() throws IOException {
    JsonNode out = writeAndRead(KfpOutputs.of(input).markdown("report", "# KL 0.01\n"));
    assertThat(Files.readString(tmp.resolve("mnt/gcs/bucket/run-7/report")))
        .isEqualTo("# KL 0.01\n");
    assertThat(fieldNames(out)).containsExactly("artifacts");
    JsonNode artifact = out.at("/artifacts/report/artifacts/0");
    assertThat(fieldNames(artifact)).containsExactly("name", "uri");
    assertThat(artifact.get("name").textValue()).isEqualTo("report");
    assertThat(artifact.get("uri").textValue()).isEqualTo("gs://bucket/run-7/report");
  }

  @Test
  void anHtmlReportForAMarkdownArtifactIsRefused() {
    assertThatThrownBy(() -> KfpOutputs.of(input).html("report", "<p>KL</p>").write())
        .hasMessage("KFP output artifact 'report': type: expected system.HTML, found "
            + "system.Markdown");
    assertThat(tmp.resolve("mnt")).doesNotExist();
  }

  @Test
  void nonFiniteMetricsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> KfpOutputs.of(input)
        .metrics("metrics", Map.of("kl", 0.01, "reward", Double.NaN)))
        .hasMessage("metric 'reward': expected a finite number, found NaN");
    assertThatThrownBy(() -> KfpOutputs.of(input).parameter("kl", Double.POSITIVE_INFINITY))
        .hasMessage("output parameter 'kl': expected a finite number, found Infinity");
    assertThat(tmp.resolve("tmp/kfp_outputs")).doesNotExist();
  }

  @Test
  void anUndeclaredParameterIsRefusedListingTheDeclaredOnesAndNothingIsWritten() {
    KfpOutputs outputs = KfpOutputs.of(input)
        .metrics("metrics", Map.of("kl", 0.01)).parameter("reward", 1.0);
    assertThatThrownBy(outputs::write)
        .hasMessage("KFP output parameter 'reward' is not declared by the component; declared: "
            + "[beta_next, kl, promoted]");
    assertThat(tmp.resolve("mnt")).doesNotExist();
    assertThat(tmp.resolve("tmp")).doesNotExist();
  }

  @Test
  void metricsForAnArtifactOfAnotherTypeAreRefused() {
    assertThatThrownBy(() -> KfpOutputs.of(input).metrics("report", Map.of("kl", 1)).write())
        .hasMessage("KFP output artifact 'report': type: expected system.Metrics, found "
            + "system.Markdown");
    assertThatThrownBy(() -> KfpOutputs.of(input).metrics("eval", Map.of("kl", 1)).write())
        .hasMessage("KFP executor input: outputs.artifacts: no artifact 'eval'; found "
            + "[metrics, report]");
  }

  @Test
  void inputsAreReadFromTheSameJson() {
    assertThat(input.inputParameterValues())
        .containsExactly(Map.entry("beta", 0.1), Map.entry("model", "tiny-gpt"),
            Map.entry("steps", 40));
    assertThat(input.inputArtifact("rollout").localPath())
        .isEqualTo(tmp.resolve("mnt/s3/bucket/run-7/rollout/rollout"));
  }

  @Test
  void urisMapToTheLaunchersMountPoints() {
    KfpExecutorInput real = KfpExecutorInput.parse("{}");
    assertThat(real.localPath("gs://b/x/y")).isEqualTo(Path.of("/gcs/b/x/y"));
    assertThat(real.localPath("minio://mlpipeline/a")).isEqualTo(Path.of("/minio/mlpipeline/a"));
    assertThat(real.localPath("s3://b/a")).isEqualTo(Path.of("/s3/b/a"));
    assertThat(real.localPath("/local/run/metrics")).isEqualTo(Path.of("/local/run/metrics"));
    assertThatThrownBy(() -> real.localPath("oci://registry/model"))
        .hasMessage("KFP artifact URI oci://registry/model: expected gs://, minio://, s3:// or "
            + "an absolute path");
  }

  @Test
  void anExecutorInputWithoutAnOutputFileIsRefused() {
    KfpExecutorInput noOutputs = KfpExecutorInput.parse("{\"outputs\": {}}");
    assertThatThrownBy(() -> KfpOutputs.of(noOutputs).write())
        .hasMessage("KFP executor input: outputs.outputFile: expected a path, found nothing");
    assertThatThrownBy(() -> KfpExecutorInput.parse("[1]"))
        .hasMessage("KFP executor input: expected a JSON object");
  }
}
