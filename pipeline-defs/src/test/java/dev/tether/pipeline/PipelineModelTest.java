package dev.tether.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.pipeline.toy.AddStep;
import dev.tether.pipeline.toy.MakeNumbersStep;
import dev.tether.pipeline.toy.SumStep;
import dev.tether.pipeline.toy.ToyPipeline;
import dev.tether.step.Sharding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model a compiler walks: the toy pipeline's shape, as data. */
class PipelineModelTest {
    private final Pipeline toy = new ToyPipeline().pipeline();

    @Test
    void tasksComeInDependencyOrderWithTheStepDefinitionOnEach() {
        assertThat(toy.tasks()).extracting(Task::name)
                .containsExactly("make-numbers", "add", "merge", "iter-0", "iter-1", "total");
        assertThat(toy.task("merge").orElseThrow().step()).isSameAs(SumStep.DEF);
        assertThat(toy.parameters()).extracting(p -> p.name()).containsExactly("count", "shards", "offset", "bonus", "fail");
    }

    @Test
    void fanOutIsOneTaskWhoseShardCountIsAParameterAndTheMergeReadsEveryShard() {
        Task add = toy.task("add").orElseThrow();
        assertThat(add.fannedOut()).isTrue();
        assertThat(add.shards()).isEqualTo(new ParameterSource.PipelineParameter("shards"));
        assertThat(add.parameters()).containsEntry(Sharding.SHARD_INDEX, new ParameterSource.ShardIndex())
                .containsEntry(Sharding.NUM_SHARDS, new ParameterSource.PipelineParameter("shards"))
                .containsEntry("fail", new ParameterSource.PipelineParameter("fail"));
        assertThat(toy.task("merge").orElseThrow().inputs()).containsExactly(java.util.Map.entry("parts", new ArtifactSource.Shards("add", "sums")));
        assertThat(toy.task("merge").orElseThrow().dependencies()).containsExactly("add");
    }

    @Test
    void unrolledLoopFeedsEachIterationFromThePreviousOne() {
        Task iter1 = toy.task("iter-1").orElseThrow();
        assertThat(iter1.inputs()).containsEntry("numbers", new ArtifactSource.TaskOutput("iter-0", "sums"));
        assertThat(iter1.parameters()).containsEntry("amount", new ParameterSource.TaskOutput("iter-0", "max"));
        assertThat(iter1.fannedOut()).isFalse();
        assertThat(toy.task("iter-0").orElseThrow().inputs()).containsEntry("numbers", new ArtifactSource.TaskOutput("merge", "merged"));
        assertThat(toy.downstream("add")).containsExactly("iter-0", "iter-1", "merge", "total");
        assertThat(toy.downstream("iter-1")).containsExactly("total");
    }

    @Test
    void declarationOrderDoesNotMatterAndTiesKeepIt() {
        PipelineBuilder p = Pipeline.builder("backwards");
        p.task("b", AddStep.DEF).input("numbers", "a", "numbers");
        p.task("c", AddStep.DEF).input("numbers", "a", "numbers");
        p.task("a", MakeNumbersStep.DEF).set("count", 3);
        p.task("d", MakeNumbersStep.DEF).set("count", 2).after("c");
        assertThat(p.build().tasks()).extracting(Task::name).containsExactly("a", "b", "c", "d");
        assertThat(p.build().task("d").orElseThrow().dependencies()).containsExactly("c");
    }

    @Test
    void theBuiltModelIsImmutableValueData() {
        assertThatThrownBy(() -> toy.tasks().add(toy.tasks().get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> toy.task("add").orElseThrow().inputs().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new ToyPipeline().pipeline()).isEqualTo(toy);
    }

    @Test
    void unrollRefusesCountsBelowOne() {
        PipelineBuilder p = Pipeline.builder("p");
        assertThatThrownBy(() -> p.unroll(0, "x", (i, c) -> c)).hasMessageContaining("needs ≥ 1 iteration, got 0");
        assertThat(p.unroll(3, List.<Integer>of(), (i, c) -> {
            List<Integer> next = new java.util.ArrayList<>(c);
            next.add(i);
            return next;
        })).containsExactly(0, 1, 2);
    }

    @Test
    void constantsAreWrittenAsTheTextEnginesRead() {
        assertThat(ParameterSource.constant(0.0001)).isEqualTo(new ParameterSource.Constant("0.0001"));
        assertThat(ParameterSource.constant(3)).isEqualTo(new ParameterSource.Constant("3"));
        assertThat(ParameterSource.constant(true)).isEqualTo(new ParameterSource.Constant("true"));
    }
}
