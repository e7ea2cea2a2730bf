package dev.tether.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.Manifest;
import dev.tether.core.artifact.Tensor;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineBuilder;
import dev.tether.pipeline.toy.AddStep;
import dev.tether.pipeline.toy.MakeNumbersStep;
import dev.tether.pipeline.toy.Numbers;
import dev.tether.pipeline.toy.SumStep;
import dev.tether.pipeline.toy.ToyPipeline;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.Step;
import dev.tether.step.StepCatalog;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The toy pipeline through the local runner: results, resume, reruns and failures. */
class LocalRunnerTest {
    private static final List<String> ALL = List.of("make-numbers", "add/shard-0", "add/shard-1", "add/shard-2", "merge", "iter-0", "iter-1", "total");

    @TempDir
    Path runs;

    private final Pipeline toy = new ToyPipeline().pipeline();
    private final CountingExecutor executor = new CountingExecutor(StepCatalog.load());
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private RunReport run(Map<String, String> set) {
        executor.invoked.clear();
        printed.reset();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return new LocalRunner(executor, runs, out, out, false).run(toy, "r1", set, Map.of());
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private Path output(String task, String output) {
        return runs.resolve("r1").resolve(task).resolve(output);
    }

    /** Where shard k of the fan-out add writes its sums. */
    private Path shard(int k) {
        return output("add", "sums").resolve("shard-" + k);
    }

    @Test
    void runsEveryTaskInOrderAndComputesTheNumbers() {
        RunReport report = run(Map.of());
        assertThat(report.exitCode()).as(printed()).isZero();
        assertThat(executor.invoked).containsExactlyElementsOf(ALL);
        assertThat(report.tasks()).allMatch(t -> t.status() == TaskReport.Status.DONE);

        assertThat(Numbers.read(shard(1))).containsExactly(3f, 4f);
        assertThat(Numbers.read(output("merge", "merged"))).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(Numbers.read(output("iter-1", "sums"))).containsExactly(9f, 10f, 11f, 12f, 13f, 14f);
        assertThat(Numbers.read(output("total", "sums"))).containsExactly(18f, 20f, 22f, 24f, 26f, 28f);
        assertThat(report.task("merge").outputParameters()).containsEntry("total", 21.0);
        assertThat(report.task("total").outputParameters()).containsEntry("total", 138.0);
        assertThat(report.task("make-numbers").outputParameters()).containsEntry("count", 6L);

        // iter-1's amount came from iter-0's reported max, and its manifest says so.
        assertThat(ArtifactReader.open(output("iter-1", "sums"), Numbers.SCHEMA, 1).manifest().parameters()).containsEntry("amount", 7.0);
        assertThat(runs.resolve("r1/iter-0/outputs.json")).content().contains("\"max\": 7.0");
        assertThat(printed()).contains("[1/6] make-numbers running", "[2/6] add shard-1 of 3 running", "[6/6] total done in", "total=138.0")
                .containsPattern("merge +done +\\d+\\.\\ds +total=21.0")
                .containsPattern("add/shard-2 +done")
                .contains("run r1 done: 8 ran, 0 cached");
        assertThat(runs.resolve("r1/add/shard-0.outputs.json")).exists();
        // The merge's manifest records each shard it read, in shard order.
        assertThat(ArtifactReader.open(output("merge", "merged"), Numbers.SCHEMA, 1).manifest().inputs())
                .containsOnlyKeys("parts/shard-0", "parts/shard-1", "parts/shard-2");
    }

    @Test
    void aSecondRunIsEntirelyCached() {
        run(Map.of());
        RunReport again = run(Map.of());
        assertThat(executor.invoked).isEmpty();
        assertThat(again.tasks()).allMatch(t -> t.status() == TaskReport.Status.CACHED);
        assertThat(again.task("total").outputParameters()).containsEntry("total", 138.0);
        assertThat(printed()).contains("[3/6] merge cached", "run r1 done: 0 ran, 8 cached");
    }

    @Test
    void changingAParameterRerunsExactlyWhatItReaches() {
        run(Map.of());
        run(Map.of("bonus", "2"));
        assertThat(executor.invoked).containsExactly("iter-0", "iter-1", "total");
        assertThat(printed()).contains("[4/6] iter-0 running (parameter amount changed)", "[5/6] iter-1 running (input numbers changed)");
        assertThat(Numbers.read(output("iter-1", "sums"))).containsExactly(11f, 12f, 13f, 14f, 15f, 16f);

        run(Map.of("bonus", "2", "offset", "1"));
        assertThat(executor.invoked).containsExactly("add/shard-0", "add/shard-1", "add/shard-2", "merge", "iter-0", "iter-1", "total");

        run(Map.of("bonus", "2", "offset", "1"));
        assertThat(executor.invoked).isEmpty();
    }

    @Test
    void theShardCountIsChosenWhenTheRunStartsAndChangingItRerunsWhatItReaches() throws Exception {
        run(Map.of());
        RunReport two = run(Map.of("shards", "2"));
        assertThat(two.exitCode()).as(printed()).isZero();
        // Each shard's share changed; shard 2 of the earlier run is gone, so the merge reads exactly two.
        assertThat(executor.invoked).containsExactly("add/shard-0", "add/shard-1", "merge");
        assertThat(shard(2)).doesNotExist();
        assertThat(runs.resolve("r1/add/shard-2.outputs.json")).doesNotExist();
        assertThat(Numbers.read(shard(1))).containsExactly(4f, 5f, 6f);
        assertThat(Numbers.read(output("merge", "merged"))).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        // Same numbers merged: nothing after the merge reruns.
        assertThat(two.task("total").status()).isEqualTo(TaskReport.Status.CACHED);

        RunReport twelve = run(Map.of("shards", "12", "count", "12"));
        assertThat(twelve.exitCode()).as(printed()).isZero();
        // Merged in shard order, 10 and 11 after 9 (not after 1, as their names sort).
        assertThat(Numbers.read(output("merge", "merged"))).containsExactly(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f);

        RunReport none = run(Map.of("shards", "0", "count", "12"));
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.failure().orElseThrow().message()).isEqualTo("task add: expected ≥ 1 shard (pipeline parameter shards), got '0'");
        assertThat(executor.invoked).isEmpty();
    }

    @Test
    void aConstantShardCountRunsAsManyShards() {
        PipelineBuilder b = Pipeline.builder("fixed");
        b.task("make-numbers", MakeNumbersStep.DEF).set("count", 4);
        var add = b.fanOut("add", AddStep.DEF, dev.tether.pipeline.ParameterSource.constant(2),
                t -> t.input("numbers", "make-numbers", "numbers").set("amount", 10));
        b.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
        RunReport report = new LocalRunner(executor, runs, new PrintStream(printed), new PrintStream(printed), false)
                .run(b.build(), "r1", Map.of(), Map.of());
        assertThat(report.exitCode()).as(printed()).isZero();
        assertThat(executor.invoked).containsExactly("make-numbers", "add/shard-0", "add/shard-1", "merge");
        assertThat(Numbers.read(output("merge", "merged"))).containsExactly(11f, 12f, 13f, 14f);
    }

    @Test
    void aTwoTaskLoopBodyRunsEachTaskPerShardOnItsOwnShard() {
        RunReport report = new LocalRunner(executor, runs, new PrintStream(printed), new PrintStream(printed), false)
                .run(ToyPipeline.twoStepBody(), "r1", Map.of("shards", "3"), Map.of());
        assertThat(report.exitCode()).as(printed()).isZero();
        assertThat(executor.invoked).containsExactly("make-numbers", "add/shard-0", "add/shard-1", "add/shard-2",
                "scale/shard-0", "scale/shard-1", "scale/shard-2", "merge-added", "merge-scaled");
        // scale's shard k read add's shard k (1 2 | 3 4 | 5 6), not all of add's numbers.
        assertThat(Numbers.read(runs.resolve("r1/scale/scaled/shard-1"))).containsExactly(30f, 40f);
        assertThat(Numbers.read(output("merge-scaled", "merged"))).containsExactly(10f, 20f, 30f, 40f, 50f, 60f);
    }

    @Test
    void aDeletedOutputRerunsItsTaskAndDependentsOnlyWhereTheBytesChanged() throws Exception {
        run(Map.of());
        AtomicFiles.deleteRecursively(shard(1));
        RunReport report = run(Map.of());
        // add is deterministic: shard 1 makes the same bytes again, so merge's input digests are unchanged.
        assertThat(executor.invoked).containsExactly("add/shard-1");
        assertThat(printed()).contains("[2/6] add shard-1 of 3 running (output sums missing)");
        assertThat(report.exitCode()).isZero();

        // Now shard 1's output differs (as a stochastic step's would): its dependents rerun, nothing else.
        Manifest before = ArtifactReader.open(shard(1), Numbers.SCHEMA, 1).manifest();
        try (ArtifactWriter w = ArtifactWriter.create(shard(1), Numbers.SCHEMA, 1, "add")) {
            w.inputs(before.inputs()).parameters(before.parameters());
            w.writeSafetensors("numbers.safetensors", List.of(Tensor.ofFloats("x", new long[] {2}, new float[] {30, 40})));
            w.commit();
        }
        run(Map.of());
        assertThat(executor.invoked).containsExactly("merge", "iter-0", "iter-1", "total");
        assertThat(Numbers.read(output("merge", "merged"))).containsExactly(1f, 2f, 30f, 40f, 5f, 6f);
    }

    @Test
    void aMissingRecordOrADamagedOutputRerunsThatTask() throws Exception {
        run(Map.of());
        Files.delete(runs.resolve("r1/merge/outputs.json"));
        run(Map.of());
        assertThat(executor.invoked).containsExactly("merge");

        Files.write(shard(0).resolve("numbers.safetensors"), new byte[] {1, 2, 3});
        run(Map.of());
        assertThat(executor.invoked).containsExactly("add/shard-0");
        assertThat(printed()).contains("add shard-0 of 3 running (output sums is damaged)");
    }

    @ParameterizedTest
    @CsvSource({"bad-input, 2, 'numbers: expected something else, on purpose'",
            "crash, 1, IllegalStateException: crashed on purpose",
            "guard, 3, kl_seq 31.2 nats passed the budget of 20"})
    void aFailingTaskStopsTheRunAndLeavesNothingOfItself(String mode, int exit, String message) {
        run(Map.of());
        RunReport report = run(Map.of("fail", mode));
        assertThat(report.exitCode()).isEqualTo(exit);
        assertThat(report.failure()).hasValueSatisfying(f -> {
            assertThat(f.task()).isEqualTo("add/shard-1");
            assertThat(f.message()).isEqualTo(message);
        });
        // Every shard has the new parameter, so shard 0 reruns too, and the run stops at the failing shard 1.
        assertThat(executor.invoked).containsExactly("add/shard-0", "add/shard-1");
        // The step committed its output before failing, and the earlier run's results were there: both gone.
        assertThat(shard(1)).doesNotExist();
        assertThat(runs.resolve("r1/add/shard-1.outputs.json")).doesNotExist();
        assertThat(shard(0)).exists();
        assertThat(report.task("merge").status()).isEqualTo(TaskReport.Status.NOT_RUN);
        assertThat(report.task("total").status()).isEqualTo(TaskReport.Status.NOT_RUN);
        assertThat(printed()).contains("[2/6] add shard-1 of 3 FAILED (exit " + exit + "): " + message)
                .containsPattern("add/shard-1 +FAILED \\(exit " + exit + "\\)")
                .containsPattern("iter-1 +not run")
                .contains("run r1 FAILED at task add/shard-1 (exit " + exit + "): " + message);

        // Fixed: the run resumes where the parameters differ from what is recorded (shard 0 ran with the failing value,
        // shard 1 is gone; shard 2 never ran with it); they make the same bytes as before, so the rest stays cached.
        RunReport fixed = run(Map.of());
        assertThat(fixed.exitCode()).isZero();
        assertThat(executor.invoked).containsExactly("add/shard-0", "add/shard-1");
    }

    @Test
    void aFailureOnAFreshRunStopsBeforeAnythingDownstream() {
        RunReport report = run(Map.of("fail", "crash"));
        assertThat(executor.invoked).containsExactly("make-numbers", "add/shard-0", "add/shard-1");
        assertThat(shard(1)).doesNotExist();
        assertThat(shard(2)).doesNotExist();
        assertThat(report.ran()).containsExactly("make-numbers", "add/shard-0", "add/shard-1");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyTaskRuns() {
        assertThatThrownBy(() -> run(Map.of("bonuss", "1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--set bonuss: pipeline toy has no such parameter; its parameters: [count, shards, offset, bonus, fail]");
        assertThatThrownBy(() -> run(Map.of("count", "six"))).hasMessage("--set count: expected an integer, got 'six'");
        assertThatThrownBy(() -> new LocalRunner(executor, runs, System.out, System.out, false).run(toy, "../up", Map.of(), Map.of()))
                .hasMessageStartingWith("--run-id: expected letters, digits");
        assertThat(executor.invoked).isEmpty();
        assertThat(runs.resolve("r1/make-numbers")).doesNotExist();
    }

    @Test
    void aValueThatPassesThePipelineButNotTheStepFailsThatTask() {
        RunReport report = run(Map.of("fail", "explode"));
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.failure().orElseThrow().message())
                .isEqualTo("parameter fail: expected one of none, bad-input, crash, guard, got 'explode' (from pipeline parameter fail)");
    }

    @Test
    void aRunFolderOfAnotherPipelineIsRefused() {
        run(Map.of());
        PipelineBuilder b = Pipeline.builder("other");
        b.task("make-numbers", MakeNumbersStep.DEF).set("count", 2);
        Pipeline other = b.build();
        assertThatThrownBy(() -> new LocalRunner(executor, runs, System.out, System.out, false).run(other, "r1", Map.of(), Map.of()))
                .hasMessageContaining("holds a run of pipeline toy, not other; choose another --run-id");
    }

    @Test
    void aRunFolderInUseIsRefused() {
        List<String> refusals = new java.util.ArrayList<>();
        Executor nested = call -> {
            try {
                new LocalRunner(executor, runs, System.out, System.out, false).run(toy, "r1", Map.of(), Map.of());
            } catch (IllegalArgumentException e) {
                refusals.add(e.getMessage());
            }
            return executor.execute(call);
        };
        PrintStream quiet = new PrintStream(printed);
        assertThat(new LocalRunner(nested, runs, quiet, quiet, false).run(toy, "r1", Map.of(), Map.of()).exitCode()).isZero();
        assertThat(refusals).hasSize(8).allMatch(m -> m.endsWith("r1 is in use by another tether run; wait for it or choose another --run-id"));
        // Released at the end: the next run gets it.
        assertThat(run(Map.of()).exitCode()).isZero();
    }

    @Test
    void aStepWhoseSignatureChangedSinceThePipelineWasBuiltIsRefused() {
        // sum as it might look after someone dropped a parameter, registered under the same name.
        Step oldSum = new Step() {
            @Override
            public StepDefinition definition() {
                return StepDefinition.builder("sum")
                        .input(ArtifactPort.of("parts", Numbers.SCHEMA, ArtifactKind.DATASET, ""))
                        .output(ArtifactPort.of("merged", Numbers.SCHEMA, ArtifactKind.DATASET, "")).build();
            }

            @Override
            public void run(StepContext ctx) {
                throw new AssertionError("must not run");
            }
        };
        StepCatalog changed = StepCatalog.of(new MakeNumbersStep(), new AddStep(), oldSum);
        RunReport report = LocalRunner.inProcess(changed, runs, new PrintStream(printed), new PrintStream(printed), false)
                .run(toy, "r1", Map.of(), Map.of());
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.failure().orElseThrow().task()).isEqualTo("merge");
        assertThat(report.failure().orElseThrow().message()).startsWith("step sum (")
                .endsWith("declares a different signature than the pipeline was built with; rebuild the pipeline from the step's definition()");
    }
}
