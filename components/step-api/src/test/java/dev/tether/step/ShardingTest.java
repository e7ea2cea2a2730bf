package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.Manifest;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardingTest {
    @TempDir
    Path tmp;

    private static final ArtifactPort PARTS = ArtifactPort.of("parts", "tether.test-text", ArtifactKind.DATASET, "text").asShards();

    /** Reports which shards it was given, by the text in each, and writes what provenance it records. */
    private static final class MergeStep implements Step {
        static final StepDefinition DEF = StepDefinition.builder("merge").input(PARTS)
                .output(ArtifactPort.of("all", "tether.test-text", ArtifactKind.DATASET, "")).build();
        final List<String> seen = new ArrayList<>();

        @Override
        public StepDefinition definition() {
            return DEF;
        }

        @Override
        public void run(StepContext ctx) throws Exception {
            for (ArtifactReader r : ctx.shards("parts")) {
                seen.add(Files.readString(r.file("t.txt")));
            }
            try (ArtifactWriter w = ctx.writer("all")) {
                w.writeText("t.txt", String.join("", seen));
                w.commit();
            }
        }
    }

    /** A shard artifact as a sharded step writes it: its index and count in the manifest's parameters. */
    private Path shard(Path dir, String text, Long index, Long count) {
        try (ArtifactWriter w = ArtifactWriter.create(dir, "tether.test-text", 1, "test")) {
            w.writeText("t.txt", text);
            if (index != null) {
                w.parameter(Sharding.SHARD_INDEX, index);
            }
            if (count != null) {
                w.parameter(Sharding.NUM_SHARDS, count);
            }
            return w.commit();
        }
    }

    private List<String> merge(Path shards) throws Exception {
        MergeStep step = new MergeStep();
        StepRunner.run(step, new StepRunner.Invocation(Map.of("parts", shards), Map.of("all", tmp.resolve("out-" + shards.getFileName())),
                Map.of(), List.of(), new PrintStream(OutputStream.nullOutputStream()), false));
        return step.seen;
    }

    @Test
    void shardsAreReadInTheOrderTheirManifestsRecordNotByName() throws Exception {
        Path dir = tmp.resolve("ordered");
        // Lexically shard-10 < shard-2 < shard-9; the manifests decide.
        for (long k = 0; k < 11; k++) {
            shard(dir.resolve(Sharding.shardDir(k)), Long.toString(k) + ",", k, 11L);
        }
        assertThat(String.join("", merge(dir))).isEqualTo("0,1,2,3,4,5,6,7,8,9,10,");
        Manifest m = ArtifactReader.open(tmp.resolve("out-ordered"), "tether.test-text", 1).manifest();
        assertThat(m.inputs()).containsKeys("parts/shard-0", "parts/shard-10").hasSize(11);
    }

    @Test
    void badShardDirectoriesAreRefusedNamingThePath() throws Exception {
        Path missing = tmp.resolve("missing");
        shard(missing.resolve("a"), "a", 0L, 3L);
        shard(missing.resolve("b"), "b", 2L, 3L);
        assertThatThrownBy(() -> merge(missing)).isInstanceOf(ArtifactException.class)
                .hasMessage("input parts: " + missing + ": shard 1 of 3 is missing; found shards [0, 2]");

        Path twice = tmp.resolve("twice");
        shard(twice.resolve("a"), "a", 0L, 2L);
        shard(twice.resolve("b"), "b", 0L, 2L);
        assertThatThrownBy(() -> merge(twice)).hasMessage("input parts: " + twice.resolve("b") + " and " + twice.resolve("a") + " are both shard 0");

        Path counts = tmp.resolve("counts");
        shard(counts.resolve("a"), "a", 0L, 2L);
        shard(counts.resolve("b"), "b", 1L, 3L);
        assertThatThrownBy(() -> merge(counts)).hasMessageContaining(counts.resolve("b") + " is a shard of 3 but " + counts.resolve("a")
                + " is a shard of 2");

        Path unsharded = tmp.resolve("unsharded");
        shard(unsharded.resolve("a"), "a", null, null);
        assertThatThrownBy(() -> merge(unsharded)).hasMessageContaining(unsharded.resolve("a") + ": its manifest records no shard_index");

        Path stray = tmp.resolve("stray");
        shard(stray.resolve("a"), "a", 0L, 1L);
        Files.writeString(stray.resolve("README"), "x");
        assertThatThrownBy(() -> merge(stray)).hasMessageContaining(stray.resolve("README") + " is not a directory");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> merge(empty)).hasMessageContaining(empty + " is empty");

        assertThatThrownBy(() -> merge(tmp.resolve("none"))).hasMessageContaining(tmp.resolve("none") + " is not a directory");
        assertThat(ExitCode.of(new ArtifactException("x"))).isEqualTo(ExitCode.BAD_INPUT);
    }

    @Test
    void inKfpTheShardsComeFromTheExecutorInputsListInAnyOrder() throws Exception {
        // KFP passes a list input as URIs (no path placeholder names several artifacts); an absolute path is its own path.
        Path a = shard(tmp.resolve("kfp/run-a"), "a", 1L, 2L);
        Path b = shard(tmp.resolve("kfp/run-b"), "b", 0L, 2L);
        String executorInput = """
                {"inputs": {"artifacts": {"parts": {"artifacts": [
                    {"name": "x", "uri": "%s", "type": {"schemaTitle": "system.Dataset"}},
                    {"name": "y", "uri": "%s", "type": {"schemaTitle": "system.Dataset"}}]}}},
                 "outputs": {"outputFile": "%s"}}""".formatted(a, b, tmp.resolve("kfp/executor_output.json"));
        MergeStep step = new MergeStep();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = StepCli.execute(step, new String[] {"--all", tmp.resolve("kfp/all").toString(), "--kfp-executor-input", executorInput},
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(step.seen).containsExactly("b", "a");
    }

    @Test
    void shardParametersDefaultToOneShard() {
        assertThat(Sharding.parameters()).extracting(ParameterSpec::name, ParameterSpec::type, ParameterSpec::defaultValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shard_index", ParamType.INT, "0"),
                        org.assertj.core.groups.Tuple.tuple("num_shards", ParamType.INT, "1"));
        assertThat(Sharding.shardDir(12)).isEqualTo("shard-12");
    }

    @Test
    void aShardsPortIsAnInputOnly() {
        assertThatThrownBy(() -> StepDefinition.builder("bad").output(PARTS).build())
                .hasMessageContaining("output 'parts' cannot be a shards input");
    }
}
