package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactWriterTest {

  static final String PROMPTS = "sha256:" + "a".repeat(64);
  static final String POLICY = "sha256:" + "b".repeat(64);

  @TempDir Path parent;

  /** A rollout-like artifact; the same call always gives the same content. */
  static Path writeRollout(Path target, int firstId) {
    try (ArtifactWriter w = ArtifactWriter.create(target, "tether.rollout", 1, "rollout")) {
      w.input("prompts", PROMPTS).input("policy", POLICY)
          .parameter("temperature", 0.7).parameter("max_new_tokens", 16)
          .parameter("sampler", "top_k").parameter("greedy", false)
          .seed(1234).producerVersion("0.1.0");
      w.writeSafetensors("rollout.safetensors", List.of(
          Tensor.ofInts("query_ids", new long[] {2, 2}, new int[] {firstId, 2, 3, 4}),
          Tensor.ofFloats("logprobs", new long[] {2, 1}, new float[] {-0.5f, -1.5f})));
      w.writeJsonLines("text.jsonl", List.of(Map.of("response", "hi", "prompt", "say hi")));
      w.writeJson("info/summary.json", Map.of("samples", 2));
      return w.commit();
    }
  }

  private List<String> siblings() throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void commitWritesTheFilesAndASortedDeterministicManifest() throws IOException {
    Path target = writeRollout(parent.resolve("rollout"), 1);
    assertThat(siblings()).containsExactly("rollout");
    String manifest = Files.readString(target.resolve("manifest.json"));
    assertThat(manifest).startsWith("{\n  \"files\": {\n    \"info/summary.json\": {\n")
        .contains("\"inputs\": {\n    \"policy\": \"" + POLICY + "\",\n    \"prompts\": \"" + PROMPTS)
        .contains("\"parameters\": {\n    \"greedy\": false,\n    \"max_new_tokens\": 16,\n"
            + "    \"sampler\": \"top_k\",\n    \"temperature\": 0.7\n  }")
        .contains("\"producer\": {\n    \"step\": \"rollout\",\n    \"version\": \"0.1.0\"\n  }")
        .contains("\"schema\": \"tether.rollout\",\n  \"schemaVersion\": 1,\n  \"seed\": 1234,")
        .contains("\"query_ids\": {\n        \"dtype\": \"I32\",\n        \"shape\": [\n          2,")
        .endsWith("}\n")
        .doesNotContain("\r");
    Manifest m = CanonicalJson.mapper().readValue(manifest, Manifest.class);
    assertThat(m.files()).containsOnlyKeys("info/summary.json", "rollout.safetensors",
        "text.jsonl");
    assertThat(m.files().get("text.jsonl").bytes())
        .isEqualTo(Files.size(target.resolve("text.jsonl")));
    assertThat(m.files().get("text.jsonl").sha256())
        .isEqualTo(ArtifactDigest.sha256(target.resolve("text.jsonl")).sha256());
    assertThat(m.tensors().get("rollout.safetensors")).containsOnlyKeys("logprobs", "query_ids");
    assertThat(m.tensors().get("rollout.safetensors").get("logprobs"))
        .isEqualTo(new Manifest.TensorEntry(DType.F32, List.of(2L, 1L)));
    assertThat(Files.readString(target.resolve("text.jsonl")))
        .isEqualTo("{\"prompt\":\"say hi\",\"response\":\"hi\"}\n");
  }

  @Test
  void identicalContentGivesIdenticalBytes() throws IOException {
    Path a = writeRollout(parent.resolve("a"), 1);
    Path b = writeRollout(parent.resolve("b"), 1);
    for (String file : List.of("manifest.json", "rollout.safetensors", "text.jsonl",
        "info/summary.json")) {
      assertThat(Files.readAllBytes(b.resolve(file))).as(file)
          .isEqualTo(Files.readAllBytes(a.resolve(file)));
    }
    assertThat(ArtifactDigest.of(a)).isEqualTo(ArtifactDigest.of(b));
    assertThat(ArtifactDigest.of(writeRollout(parent.resolve("c"), 9)))
        .isNotEqualTo(ArtifactDigest.of(a));
  }

  @Test
  void aStepThatThrowsBeforeCommitLeavesNothing() throws IOException {
    Path target = parent.resolve("scores");
    assertThatThrownBy(() -> {
      try (ArtifactWriter w = ArtifactWriter.create(target, "tether.scores", 1, "reward")) {
        w.writeText("partial.txt", "half done");
        assertThat(siblings()).hasSize(1).allMatch(n -> n.startsWith(".scores.tether-tmp-"));
        throw new IllegalStateException("reward model diverged");
      }
    }).hasMessage("reward model diverged");
    assertThat(target).doesNotExist();
    assertThat(siblings()).isEmpty();
  }

  @Test
  void commitReplacesAnExistingArtifact() throws IOException {
    Path target = parent.resolve("rollout");
    writeRollout(target, 1);
    Files.writeString(target.resolve("stale.txt"), "from the old run");
    writeRollout(target, 5);
    assertThat(target.resolve("stale.txt")).doesNotExist();
    try (SafetensorsFile st = Safetensors.read(target.resolve("rollout.safetensors"))) {
      assertThat(st.get("query_ids").toInts()).startsWith(5);
    }
    assertThat(siblings()).containsExactly("rollout");
  }

  @Test
  void createRemovesTempDirectoriesOfDeadProcessesForTheSameTarget() throws IOException {
    // pid 2^22 + 1 is above Linux's pid_max default range and not alive here.
    Path dead = Files.createDirectories(parent.resolve(".rollout.tether-tmp-4194305-x/sub"));
    Files.writeString(dead.resolve("half.bin"), "x");
    Path deadOld = Files.createDirectories(parent.resolve(".rollout.tether-old-4194305-y"));
    Path otherTarget = Files.createDirectories(parent.resolve(".scores.tether-tmp-4194305-z"));
    Path alive = Files.createDirectories(parent.resolve(
        ".rollout.tether-tmp-" + ProcessHandle.current().parent().orElseThrow().pid() + "-w"));
    writeRollout(parent.resolve("rollout"), 1);
    assertThat(parent.resolve(".rollout.tether-tmp-4194305-x")).doesNotExist();
    assertThat(deadOld).doesNotExist();
    assertThat(otherTarget).exists();
    assertThat(alive).exists();
  }

  @Test
  void ownPidTempDirectoryNotHeldByAWriterIsStale() throws IOException {
    Path leftover = Files.createDirectories(parent.resolve(
        ".rollout.tether-tmp-" + ProcessHandle.current().pid() + "-killed"));
    try (ArtifactWriter w = ArtifactWriter.create(parent.resolve("rollout"), "s", 1, "step")) {
      assertThat(leftover).doesNotExist();
      assertThat(ArtifactWriter.cleanupStale(parent.resolve("rollout"))).isZero();
      assertThat(w.dir()).exists();
    }
  }

  @Test
  void fileNamesMustStayInsideTheArtifact() {
    try (ArtifactWriter w = ArtifactWriter.create(parent.resolve("a"), "s", 1, "step")) {
      assertThatThrownBy(() -> w.writeText("../escape.txt", "x"))
          .hasMessageContaining("'../escape.txt': expected a path inside the artifact");
      assertThatThrownBy(() -> w.writeText("/etc/passwd", "x"))
          .isInstanceOf(ArtifactException.class);
      assertThatThrownBy(() -> w.writeJson("manifest.json", Map.of()))
          .hasMessageContaining("written by commit()");
    }
    assertThat(parent.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void aManifestWrittenByTheStepIsRefused() throws IOException {
    try (ArtifactWriter w = ArtifactWriter.create(parent.resolve("a"), "s", 1, "step")) {
      Files.writeString(w.dir().resolve("manifest.json"), "{}");
      assertThatThrownBy(w::commit).hasMessageContaining("manifest.json is written by commit()");
    }
    assertThat(parent.resolve("a")).doesNotExist();
  }

  @Test
  void inputsMustBeDigestsAndParametersScalars() {
    try (ArtifactWriter w = ArtifactWriter.create(parent.resolve("a"), "s", 1, "step")) {
      assertThatThrownBy(() -> w.input("rollout", "abc"))
          .hasMessageEndingWith(
              "input 'rollout': expected a digest sha256:<64 hex digits>, found abc");
      assertThatThrownBy(() -> w.parameter("beta", Double.NaN))
          .hasMessage("parameter 'beta': expected a string, finite number or boolean, "
              + "found Double NaN");
      assertThatThrownBy(() -> w.parameter("list", List.of(1)))
          .hasMessageContaining("parameter 'list'");
    }
  }

  @Test
  void aCommittedOrClosedWriterCannotBeUsed() {
    ArtifactWriter w = ArtifactWriter.create(parent.resolve("a"), "s", 1, "step");
    w.commit();
    assertThatThrownBy(w::dir).hasMessageContaining("already committed or closed");
    w.close();
    assertThat(parent.resolve("a/manifest.json")).exists();
  }

  @Test
  void aSeedlessArtifactHasNoSeedField() throws IOException {
    try (ArtifactWriter w = ArtifactWriter.create(parent.resolve("a"), "s", 1, "step")) {
      w.commit();
    }
    assertThat(Files.readString(parent.resolve("a/manifest.json"))).doesNotContain("seed");
  }
}
