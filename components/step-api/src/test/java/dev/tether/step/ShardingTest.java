package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardingTest {
    @TempDir
    Path tmp;

    /** Reports which shards it was given, by the text in each. */
    private static final class MergeStep implements Step {
        static final StepDefinition DEF = merge();
        final List<String> seen = new ArrayList<>();

        private static StepDefinition merge() {
            StepDefinition.Builder b = StepDefinition.builder("merge");
            Sharding.mergeInputs("parts", "tether.test-text", ArtifactKind.DATASET, "text", 3).forEach(b::input);
            return b.build();
        }

        @Override
        public StepDefinition definition() {
            return DEF;
        }

        @Override
        public void run(StepContext ctx) throws Exception {
            for (ArtifactReader r : Sharding.shards(ctx, "parts")) {
                seen.add(java.nio.file.Files.readString(r.file("t.txt")));
            }
        }
    }

    private Path text(String name) {
        try (ArtifactWriter w = ArtifactWriter.create(tmp.resolve(name), "tether.test-text", 1, "test")) {
            w.writeText("t.txt", name);
            return w.commit();
        }
    }

    private List<String> merge(Map<String, Path> inputs) throws Exception {
        MergeStep step = new MergeStep();
        StepRunner.run(step, new StepRunner.Invocation(inputs, Map.of(), Map.of(), List.of(), new PrintStream(OutputStream.nullOutputStream()), false));
        return step.seen;
    }

    @Test
    void mergeInputsTakeOneToMaxShardsInOrder() throws Exception {
        assertThat(MergeStep.DEF.inputs()).extracting(ArtifactPort::name).containsExactly("parts_0", "parts_1", "parts_2");
        assertThat(MergeStep.DEF.inputs()).extracting(ArtifactPort::optional).containsExactly(false, true, true);
        assertThat(merge(Map.of("parts_0", text("a"), "parts_1", text("b")))).containsExactly("a", "b");
        assertThatThrownBy(() -> merge(Map.of("parts_0", text("c"), "parts_2", text("d"))))
                .hasMessage("input parts_2 is given but parts_1 is not: shards must be numbered from 0 without gaps");
    }

    @Test
    void shardParametersDefaultToOneShard() {
        assertThat(Sharding.parameters()).extracting(ParameterSpec::name, ParameterSpec::type, ParameterSpec::defaultValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shard_index", ParamType.INT, "0"),
                        org.assertj.core.groups.Tuple.tuple("num_shards", ParamType.INT, "1"));
        assertThat(Sharding.port("rollout", 2)).isEqualTo("rollout_2");
    }
}
