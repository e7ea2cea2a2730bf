package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactReaderTest {

  @TempDir Path parent;

  private Path rollout;

  @BeforeEach
  void writeOne() {
    rollout = ArtifactWriterTest.writeRollout(parent.resolve("rollout"), 1);
  }

  private void editManifest(String from, String to) throws IOException {
    Path m = rollout.resolve("manifest.json");
    String text = Files.readString(m);
    assertThat(text).contains(from);
    Files.writeString(m, text.replace(from, to));
  }

  @Test
  void opensAVerifiedArtifact() {
    ArtifactReader r = ArtifactReader.open(rollout, "tether.rollout", 1);
    assertThat(r.inputs()).containsEntry("prompts", ArtifactWriterTest.PROMPTS);
    assertThat(r.input("policy")).isEqualTo(ArtifactWriterTest.POLICY);
    assertThat(r.manifest().seed()).isEqualTo(1234L);
    assertThat(r.manifest().producer().step()).isEqualTo("rollout");
    assertThat(r.manifest().parameters()).containsEntry("max_new_tokens", 16);
    assertThat(r.digest()).isEqualTo(ArtifactDigest.of(rollout));
    assertThat(r.file("text.jsonl")).isEqualTo(rollout.resolve("text.jsonl"));
    try (SafetensorsFile st = r.safetensors("rollout.safetensors")) {
      assertThat(st.get("query_ids").toInts()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void olderSchemaVersionsAreAccepted() {
    assertThat(ArtifactReader.open(rollout, "tether.rollout", 2).manifest().schemaVersion())
        .isEqualTo(1);
  }

  @Test
  void missingManifest() throws IOException {
    Files.delete(rollout.resolve("manifest.json"));
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .isInstanceOf(ArtifactException.class)
        .hasMessage(rollout + ": manifest.json: missing");
    assertThatThrownBy(() -> ArtifactReader.open(parent.resolve("nope"), "tether.rollout", 1))
        .hasMessageContaining("no directory");
  }

  @Test
  void malformedManifest() throws IOException {
    Files.writeString(rollout.resolve("manifest.json"), "{\"schema\": ");
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessageStartingWith(rollout + ": manifest.json: not valid JSON: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void manifestWithAnUnknownField() throws IOException {
    editManifest("\"seed\": 1234", "\"seed\": 1234, \"timestamp\": 5");
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessageStartingWith(rollout + ": manifest.json: unknown field 'timestamp'");
  }

  @Test
  void manifestMissingTheProducer() throws IOException {
    String text = Files.readString(rollout.resolve("manifest.json"));
    Files.writeString(rollout.resolve("manifest.json"),
        text.replaceAll("(?s)\"producer\": \\{.*?},", ""));
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessage(rollout + ": manifest.json: missing field 'producer'");
  }

  @Test
  void anotherSchema() {
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.scores", 1))
        .hasMessage(rollout + ": manifest.json: schema: expected 'tether.scores', found "
            + "'tether.rollout'");
  }

  @Test
  void aNewerSchemaVersion() throws IOException {
    editManifest("\"schemaVersion\": 1", "\"schemaVersion\": 3");
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 2))
        .hasMessage(rollout + ": manifest.json: schemaVersion: tether.rollout version 3 is newer "
            + "than this step supports (2); upgrade tether");
  }

  @Test
  void aListedFileIsMissing() throws IOException {
    Files.delete(rollout.resolve("text.jsonl"));
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessage(rollout + ": file 'text.jsonl' listed in manifest.json is missing");
  }

  @Test
  void aFileWithAnotherSize() throws IOException {
    Files.writeString(rollout.resolve("text.jsonl"), "{}\n");
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessageMatching(".*: file 'text.jsonl': bytes: expected \\d+, found 3");
  }

  @Test
  void aFileWithOneByteChanged() throws IOException {
    Path file = rollout.resolve("rollout.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessageMatching(".*: file 'rollout.safetensors': sha256: expected [0-9a-f]{64}, "
            + "found [0-9a-f]{64}");
    // Without hashing, a same-size change goes unnoticed: that is the documented trade-off.
    assertThat(ArtifactReader.open(rollout, "tether.rollout", 1, false).dir()).isEqualTo(rollout);
  }

  @Test
  void aFileAddedAfterCommit() throws IOException {
    Files.writeString(rollout.resolve("notes.txt"), "added later");
    assertThatThrownBy(() -> ArtifactReader.open(rollout, "tether.rollout", 1))
        .hasMessage(rollout + ": file 'notes.txt' is not listed in manifest.json "
            + "(files were added after commit)");
  }

  @Test
  void unknownFileOrInputNamesAreNamedWithWhatIsThere() {
    ArtifactReader r = ArtifactReader.open(rollout, "tether.rollout", 1);
    assertThatThrownBy(() -> r.file("scores.safetensors"))
        .hasMessage(rollout + ": no file 'scores.safetensors' in the artifact; found "
            + "[info/summary.json, rollout.safetensors, text.jsonl]");
    assertThatThrownBy(() -> r.input("rollout"))
        .hasMessage(rollout + ": manifest.json: inputs: no 'rollout'; found [policy, prompts]");
  }

  private ArtifactReader scoresFrom(String name, String rolloutDigest) {
    try (ArtifactWriter w = ArtifactWriter.create(parent.resolve(name), "tether.scores", 1,
        "reward")) {
      w.input("rollout", rolloutDigest);
      w.writeSafetensors("scores.safetensors",
          List.of(Tensor.ofFloats("scores", new long[] {2}, new float[] {0.5f, 1f})));
      return ArtifactReader.open(w.commit(), "tether.scores", 1);
    }
  }

  @Test
  void artifactsMadeFromTheActualInputPass() {
    ArtifactReader r = ArtifactReader.open(rollout, "tether.rollout", 1);
    ArtifactReader scores = scoresFrom("scores", r.digest());
    ArtifactReader ref = scoresFrom("ref", r.digest());
    ArtifactReader.requireMadeFrom(scores, "rollout", r);
    ArtifactReader.requireSameInput(scores, ref, "rollout");
    assertThat(scores.input("rollout")).isEqualTo(r.digest());
  }

  @Test
  void artifactsFromDifferentRunsAreRefusedNamingBothDigests() {
    ArtifactReader r = ArtifactReader.open(rollout, "tether.rollout", 1);
    String otherRun = "sha256:" + "c".repeat(64);
    ArtifactReader scores = scoresFrom("scores", otherRun);
    ArtifactReader ref = scoresFrom("ref", r.digest());
    assertThatThrownBy(() -> ArtifactReader.requireMadeFrom(scores, "rollout", r))
        .hasMessage("artifacts from different runs: " + scores.dir() + " was made from rollout "
            + otherRun + " but " + rollout + " has digest " + r.digest());
    assertThatThrownBy(() -> ArtifactReader.requireSameInput(scores, ref, "rollout"))
        .hasMessage("artifacts from different runs: " + scores.dir() + " was made from rollout "
            + otherRun + " but " + ref.dir() + " from " + r.digest());
  }
}
