package dev.tether.pipeline;

import static dev.tether.pipeline.ArtifactSource.pipelineInput;
import static dev.tether.pipeline.ParameterSource.outputParameter;
import static dev.tether.pipeline.ParameterSource.pipelineParameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tether.pipeline.toy.AddStep;
import dev.tether.pipeline.toy.MakeNumbersStep;
import dev.tether.pipeline.toy.Numbers;
import dev.tether.pipeline.toy.SumStep;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.StepDefinition;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each way a pipeline can be wired wrong is caught when it is built, naming the task and field. */
class PipelineValidationTest {

    /** A step whose output is another schema than the toy numbers. */
    private static final StepDefinition WORDS = StepDefinition.builder("make-words")
            .output(ArtifactPort.of("words", "tether.test-words", ArtifactKind.DATASET, "words"))
            .outputParameter("count", ParamType.DOUBLE, "how many")
            .build();

    private static PipelineException problemsOf(Consumer<PipelineBuilder> wiring) {
        PipelineBuilder p = Pipeline.builder("bad");
        wiring.accept(p);
        return catchThrowableOfType(PipelineException.class, p::build);
    }

    private static void source(PipelineBuilder p) {
        p.task("source", MakeNumbersStep.DEF).set("count", 3);
    }

    @Test
    void unknownInputName() {
        PipelineException e = problemsOf(p -> {
            source(p);
            p.task("add", AddStep.DEF).input("numbers", "source", "numbers").input("numbrs", "source", "numbers");
        });
        assertThat(e.problems()).containsExactly("task add: input 'numbrs': step add has no such input; its inputs: [numbers]");
    }

    @Test
    void unknownOutputOfTheUpstreamTask() {
        PipelineException e = problemsOf(p -> {
            source(p);
            p.task("add", AddStep.DEF).input("numbers", "source", "sums");
        });
        assertThat(e.problems()).containsExactly(
                "task add: input 'numbers': task source (step make-numbers) has no output 'sums'; its outputs: [numbers]");
    }

    @Test
    void schemaMismatch() {
        PipelineException e = problemsOf(p -> {
            p.task("words", WORDS);
            p.task("add", AddStep.DEF).input("numbers", "words", "words");
        });
        assertThat(e.problems()).containsExactly("task add: input 'numbers': expected a tether.test-numbers artifact (version ≤ 1), "
                + "but task words's output 'words' is tether.test-words version 1");
    }

    @Test
    void newerSchemaVersionThanTheConsumerReads() {
        StepDefinition v2 = StepDefinition.builder("make-numbers-v2")
                .output(new ArtifactPort("numbers", Numbers.SCHEMA, 2, ArtifactKind.DATASET, "", false)).build();
        PipelineException e = problemsOf(p -> {
            p.task("source", v2);
            p.task("add", AddStep.DEF).input("numbers", "source", "numbers");
        });
        assertThat(e.problems()).singleElement().asString().startsWith("task add: input 'numbers': expected a tether.test-numbers artifact (version ≤ 1)")
                .endsWith("is tether.test-numbers version 2");
    }

    @Test
    void cycle() {
        PipelineException e = problemsOf(p -> {
            p.task("a", AddStep.DEF).input("numbers", "b", "sums");
            p.task("b", AddStep.DEF).input("numbers", "a", "sums");
        });
        assertThat(e.problems()).containsExactly("task a: input 'numbers' (from b.sums) closes a cycle: a → b → a (each task waits for the next)");
    }

    @Test
    void cycleThroughAfterAndSelfReference() {
        assertThat(problemsOf(p -> {
            source(p);
            p.task("a", AddStep.DEF).input("numbers", "source", "numbers").after("b");
            p.task("b", AddStep.DEF).input("numbers", "source", "numbers").parameter("amount", outputParameter("a", "max"));
        }).problems()).containsExactly("task a: after 'b' closes a cycle: a → b → a (each task waits for the next)");
        assertThat(problemsOf(p -> p.task("a", AddStep.DEF).input("numbers", "a", "sums")).problems())
                .containsExactly("task a: input 'numbers' (from a.sums) closes a cycle: a → a (each task waits for the next)");
    }

    @Test
    void missingRequiredParameterAndInput() {
        PipelineException e = problemsOf(p -> {
            p.task("source", MakeNumbersStep.DEF);
            p.task("add", AddStep.DEF);
        });
        assertThat(e.problems()).containsExactly(
                "task source: parameter 'count': required by step make-numbers (INT, no default) but not wired",
                "task add: input 'numbers': required by step add (a tether.test-numbers artifact) but not wired");
        assertThat(e.getMessage()).startsWith("pipeline bad: task source: parameter 'count': required by step make-numbers (INT, no default) "
                + "but not wired (and 1 more problem)\n  - task source:");
    }

    @Test
    void badTaskNames() {
        PipelineException e = problemsOf(p -> {
            p.task("Make_Numbers", MakeNumbersStep.DEF).set("count", 1);
            p.task("n".repeat(64), MakeNumbersStep.DEF).set("count", 1);
            p.task("-x", MakeNumbersStep.DEF).set("count", 1);
            p.task("dup", MakeNumbersStep.DEF).set("count", 1);
            p.task("dup", MakeNumbersStep.DEF).set("count", 2);
        });
        assertThat(e.problems()).containsExactly(
                "task Make_Numbers: name: expected lowercase letters, digits and '-', starting and ending with a letter or digit "
                        + "(a DNS-1123 label), got 'Make_Numbers'",
                "task " + "n".repeat(64) + ": name: expected at most 63 characters (a DNS-1123 label), got 64 in '" + "n".repeat(64) + "'",
                "task -x: name: expected lowercase letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label), got '-x'",
                "task dup: name: used by two tasks; task names must be unique");
        assertThat(problemsOf(p -> p.task("x".repeat(63), MakeNumbersStep.DEF).set("count", 1))).isNull();
        assertThat(catchThrowableOfType(PipelineException.class, () -> Pipeline.builder("Bad Name").build()).problems())
                .singleElement().asString().startsWith("pipeline name: expected lowercase");
    }

    @Test
    void parameterTypes() {
        PipelineException e = problemsOf(p -> {
            p.parameter("n", ParamType.DOUBLE, "3", "a double where an integer is wanted");
            p.parameter("mode", ParamType.STRING, "explode", "not one of add's choices");
            p.task("words", WORDS);
            p.task("source", MakeNumbersStep.DEF).parameter("count", pipelineParameter("n")).set("start", "lots");
            p.task("add", AddStep.DEF).input("numbers", "source", "numbers")
                    .parameter("fail", pipelineParameter("mode"))
                    .parameter("amount", outputParameter("source", "count"))
                    .parameter("shard_index", outputParameter("words", "count"));
        });
        assertThat(e.problems()).containsExactly(
                "task source: parameter 'count': expected INT, but pipeline parameter 'n' is DOUBLE",
                "task source: parameter 'start': expected a number, got 'lots'",
                "task add: parameter 'fail': expected one of none, bad-input, crash, guard, got 'explode' (the default of pipeline parameter 'mode')",
                "task add: parameter 'amount': expected DOUBLE, but task source's output parameter 'count' is INT",
                "task add: parameter 'shard_index': expected INT, but task words's output parameter 'count' is DOUBLE");
        assertThat(e.problems().size()).isEqualTo(5);
        assertThat(e.getMessage()).contains("(and 4 more problems)");
    }

    @Test
    void unknownNamesAcrossThePipeline() {
        PipelineException e = problemsOf(p -> {
            p.parameter("unused", ParamType.INT, "1", "nobody reads it");
            p.input(ArtifactPort.of("numbers", Numbers.SCHEMA, ArtifactKind.DATASET, "numbers"));
            p.task("add", AddStep.DEF).input("numbers", pipelineInput("numbrs")).parameter("amount", pipelineParameter("amt"))
                    .parameter("scale", pipelineParameter("unused")).after("nowhere");
            p.task("merge", SumStep.DEF).input("parts", new ArtifactSource.Shards("ad", "sums")).parameter("scale", outputParameter("add", "mean"));
        });
        assertThat(e.problems()).containsExactly(
                "task add: input 'numbers': no pipeline input 'numbrs'; declared: [numbers]",
                "task add: parameter 'amount': no pipeline parameter 'amt'; declared: [unused]",
                "task add: parameter 'scale': expected DOUBLE, but pipeline parameter 'unused' is INT",
                "task add: after: no task 'nowhere' in the pipeline; tasks: [add, merge]",
                "task merge: input 'parts': no task 'ad' in the pipeline; tasks: [add, merge]",
                "task merge: parameter 'scale': task add (step add) reports no output parameter 'mean'; it reports: [total, max]",
                "pipeline input 'numbers': declared but no task uses it");
    }

    @Test
    void optionalPipelineInputCannotFeedARequiredPort() {
        PipelineException e = problemsOf(p -> {
            p.input(ArtifactPort.of("numbers", Numbers.SCHEMA, ArtifactKind.DATASET, "numbers").asOptional());
            p.task("add", AddStep.DEF).input("numbers", pipelineInput("numbers"));
        });
        assertThat(e.problems()).containsExactly("task add: input 'numbers': required by step add, but pipeline input 'numbers' is optional");
    }

    @Test
    void fanOutOfAStepWithoutShardParametersSaysWhatItNeeds() {
        PipelineException e = problemsOf(p -> p.fanOut("make", MakeNumbersStep.DEF, ParameterSource.constant(2), t -> t.set("count", 4)));
        assertThat(e.problems()).contains("task make: parameter 'shard_index': step make-numbers has no such parameter; its parameters: "
                + "[count, start] (a step that fans out declares Sharding.parameters())");
    }

    /** A source, and add fanned out over pipeline parameter n. */
    private static TaskBuilder fannedOut(PipelineBuilder p) {
        source(p);
        p.parameter("n", ParamType.INT, "2", "shards");
        return p.fanOut("add", AddStep.DEF, pipelineParameter("n"), t -> t.input("numbers", "source", "numbers"));
    }

    @Test
    void aFanOutIsReadOnlyAsAllItsShardsByAShardsInput() {
        assertThat(problemsOf(p -> {
            TaskBuilder add = fannedOut(p);
            p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
            p.task("next", AddStep.DEF).input("numbers", "add", "sums");
        }).problems()).containsExactly("task next: input 'numbers': task add runs once per shard, so it has no single output 'sums'; "
                + "a step that merges them reads add.shards(\"sums\") through an input declared asShards()");
        assertThat(problemsOf(p -> {
            TaskBuilder add = fannedOut(p);
            p.task("next", AddStep.DEF).input("numbers", add.shards("sums"));
        }).problems()).containsExactly("task next: input 'numbers': gets every shard of add's output 'sums', but step add reads one "
                + "artifact there (a merge step declares the input asShards())");
        assertThat(problemsOf(p -> {
            source(p);
            p.task("merge", SumStep.DEF).input("parts", "source", "numbers");
        }).problems()).containsExactly("task merge: input 'parts': step sum reads it as the shards of a fan-out; wire it to "
                + "fannedOutTask.shards(output), not source.numbers");
        assertThat(problemsOf(p -> {
            source(p);
            p.task("merge", SumStep.DEF).input("parts", new ArtifactSource.Shards("source", "numbers"));
        }).problems()).containsExactly("task merge: input 'parts': task source is not fanned out (PipelineBuilder.fanOut), so it has no shards");
        assertThat(problemsOf(p -> {
            TaskBuilder add = fannedOut(p);
            p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
            p.task("next", AddStep.DEF).input("numbers", "merge", "merged").parameter("amount", add.outputParameter("max"));
        }).problems()).containsExactly("task next: parameter 'amount': task add runs once per shard, so its output parameter 'max' has "
                + "one value per shard; no engine passes such a list to a parameter");
    }

    @Test
    void theSameShardIsReadOnlyByAFanOutOverTheSameCount() {
        assertThat(problemsOf(p -> {
            TaskBuilder add = fannedOut(p);
            p.task("next", AddStep.DEF).input("numbers", add.sameShard("sums"));
            p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
        }).problems()).containsExactly("task next: input 'numbers': reads the same shard of add, so both must be fanned out over the same "
                + "count (found next: not fanned out, add: pipeline parameter n)");
        assertThat(problemsOf(p -> {
            TaskBuilder add = fannedOut(p);
            TaskBuilder more = p.fanOut("more", AddStep.DEF, ParameterSource.constant(2), t -> t.input("numbers", add.sameShard("sums")));
            p.task("merge", SumStep.DEF).input("parts", more.shards("sums"));
        }).problems()).containsExactly("task more: input 'numbers': reads the same shard of add, so both must be fanned out over the same "
                + "count (found more: '2', add: pipeline parameter n)");
        assertThat(problemsOf(p -> {
            TaskBuilder add = fannedOut(p);
            TaskBuilder more = p.fanOut("more", AddStep.DEF, pipelineParameter("n"), t -> t.input("numbers", add.sameShard("total")));
            p.task("merge", SumStep.DEF).input("parts", more.shards("sums"));
        }).problems()).containsExactly("task more: input 'numbers': task add (step add) has no output 'total'; its outputs: [sums]");
    }

    @Test
    void theShardCountIsAPositiveIntAndTheShardIndexExistsOnlyInAFanOut() {
        assertThat(problemsOf(p -> {
            source(p);
            TaskBuilder add = p.fanOut("add", AddStep.DEF, ParameterSource.constant(0), t -> t.input("numbers", "source", "numbers"));
            p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
        }).problems()).containsExactly("task add: shards: expected ≥ 1 shard, got 0");
        assertThat(problemsOf(p -> {
            source(p);
            p.parameter("n", ParamType.DOUBLE, "2", "shards");
            TaskBuilder add = p.fanOut("add", AddStep.DEF, pipelineParameter("n"), t -> t.input("numbers", "source", "numbers"));
            p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
        }).problems()).contains("task add: shards: pipeline parameter 'n' is DOUBLE; a shard count is an INT");
        assertThat(problemsOf(p -> {
            source(p);
            p.task("add", AddStep.DEF).input("numbers", "source", "numbers").parameter("shard_index", new ParameterSource.ShardIndex());
        }).problems()).containsExactly("task add: parameter 'shard_index': the shard index exists only in a fanned-out task (PipelineBuilder.fanOut)");
    }

    @Test
    void wiringTheSameFieldTwiceFailsAtOnce() {
        PipelineBuilder p = Pipeline.builder("twice");
        TaskBuilder t = p.task("add", AddStep.DEF).input("numbers", "a", "numbers");
        assertThatThrownBy(() -> t.input("numbers", "b", "numbers"))
                .hasMessage("pipeline twice: task add: input 'numbers' is wired twice (to a.numbers and b.numbers)");
        t.set("amount", 1);
        assertThatThrownBy(() -> t.set("amount", 2)).hasMessage("pipeline twice: task add: parameter 'amount' is wired twice (to '1' and '2')");
    }
}
