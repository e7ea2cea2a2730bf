package dev.tether.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.toy.Numbers;
import dev.tether.pipeline.toy.ToyPipeline;
import dev.tether.step.StepCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The podman executor against a fake podman ({@link FakeContainer}): the same toy pipeline as
 * {@link LocalRunnerTest}, each step in a "container" JVM that sees only the mounted folders.
 */
class PodmanExecutorTest {
    @TempDir
    Path dir;

    private final Pipeline toy = new ToyPipeline().pipeline();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Path fakePodman;
    private Path commands;

    @BeforeEach
    void writeTheFakePodman() throws Exception {
        commands = dir.resolve("commands.log");
        fakePodman = dir.resolve("podman");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(fakePodman, """
                #!/usr/bin/env bash
                if [ "$1" = image ]; then
                  case "$*" in *missing*) echo "Error: ${@: -1}: image not known" >&2; exit 125;; esac
                  echo 1001:1001; exit 0
                fi
                exec '%s' -cp '%s' %s '%s' "$@"
                """.formatted(java, System.getProperty("java.class.path"), FakeContainer.class.getName(), commands));
        Files.setPosixFilePermissions(fakePodman, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private PodmanExecutor.Settings settings() {
        return new PodmanExecutor.Settings(fakePodman.toString(), "localhost", "1.2.3", "64m", List.of("--memory=2g"));
    }

    private RunReport run(PodmanExecutor executor, Map<String, String> set, Set<String> until) {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return new LocalRunner(executor, dir.resolve("runs"), out, out, false).run(toy, "r1", set, Map.of(), until);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theToyPipelineRunsInContainersAndComputesWhatItComputesInProcess() throws Exception {
        RunReport report = run(PodmanExecutor.forPipeline(toy, settings()), Map.of(), Set.of());
        assertThat(report.exitCode()).as(printed()).isZero();
        Path runDir = dir.resolve("runs/r1");
        assertThat(Numbers.read(runDir.resolve("total/sums"))).containsExactly(18f, 20f, 22f, 24f, 26f, 28f);
        // Output parameters came back typed, through the files the step wrote for Argo.
        assertThat(report.task("merge").outputParameters()).containsEntry("total", 21.0);
        assertThat(report.task("make-numbers").outputParameters()).containsEntry("count", 6L);
        assertThat(runDir.resolve("iter-0/outputs.json")).content().contains("\"max\": 7.0");

        List<String> lines = Files.readAllLines(commands);
        assertThat(lines).hasSize(8);
        String add1 = lines.stream().filter(l -> l.contains("--shard_index 1")).findFirst().orElseThrow();
        assertThat(add1).startsWith("run --rm --net=none --read-only ")
                .contains("--cap-drop=all", "--security-opt=no-new-privileges", "--tmpfs=/tmp:rw,mode=1777,size=64m", "--memory=2g")
                .contains("--volume=" + runDir.resolve("make-numbers/numbers") + ":/tether/in/numbers:ro")
                // A shard writes <task>/<output>/shard-<k>: the output's folder is mounted, so the step can commit by renaming.
                .contains("--volume=" + runDir.resolve("add/sums") + ":/tether/out:rw")
                .contains(" localhost/tether-add:1.2.3 --numbers /tether/in/numbers --sums /tether/out/shard-1 ")
                .endsWith("--argo-outputs /tether/params");
        if (isRoot()) {
            // Rootful podman runs the image's own user, which must be able to write the task's folder.
            assertThat(Files.getAttribute(runDir.resolve("add/sums"), "unix:uid")).isEqualTo(1001);
            assertThat(add1).doesNotContain("--userns");
        }

        // Same resume rules as in-process: nothing is run again.
        printed.reset();
        RunReport again = run(PodmanExecutor.forPipeline(toy, settings()), Map.of(), Set.of());
        assertThat(again.ran()).isEmpty();
        assertThat(Files.readAllLines(commands)).hasSize(8);
    }

    @Test
    void aTwoTaskLoopBodyMountsEachShardsOwnInput() throws Exception {
        Pipeline body = ToyPipeline.twoStepBody();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        RunReport report = new LocalRunner(PodmanExecutor.forPipeline(body, settings()), dir.resolve("runs"), out, out, false)
                .run(body, "r1", Map.of(), Map.of(), Set.of());
        assertThat(report.exitCode()).as(printed()).isZero();
        Path runDir = dir.resolve("runs/r1");
        assertThat(Numbers.read(runDir.resolve("merge-scaled/merged"))).containsExactly(10f, 20f, 30f, 40f, 50f, 60f);
        String scale1 = Files.readAllLines(commands).stream().filter(l -> l.contains("tether-scale") && l.contains("--shard_index 1"))
                .findFirst().orElseThrow();
        // Shard 1 of scale reads shard 1 of add, and only it, and writes its own shard of scale's output.
        assertThat(scale1).contains("--volume=" + runDir.resolve("add/sums/shard-1") + ":/tether/in/numbers:ro")
                .contains("--volume=" + runDir.resolve("scale/scaled") + ":/tether/out:rw")
                .contains(" localhost/tether-scale:1.2.3 --numbers /tether/in/numbers --scaled /tether/out/shard-1 ");
    }

    @Test
    void untilRunsOnlyTheNamedTasksAndWhatTheyNeed() throws Exception {
        RunReport report = run(PodmanExecutor.forPipeline(toy, settings()), Map.of(), Set.of("add"));
        assertThat(report.exitCode()).as(printed()).isZero();
        assertThat(report.ran()).containsExactly("make-numbers", "add/shard-0", "add/shard-1", "add/shard-2");
        assertThat(report.task("merge").status()).isEqualTo(TaskReport.Status.SKIPPED);
        assertThat(printed()).contains("2 tasks of 6 (--until add)", "4 ran, 0 cached, 4 not asked for (--until)")
                .doesNotContain("iter-0 running");
        assertThatThrownBy(() -> run(PodmanExecutor.forPipeline(toy, settings()), Map.of(), Set.of("add-9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pipeline toy has no task 'add-9'");
    }

    @Test
    void aStepsExitCodeAndMessageComeBackAndItsFolderIsGone() {
        RunReport report = run(PodmanExecutor.forPipeline(toy, settings()), Map.of("fail", "guard"), Set.of());
        TaskReport failed = report.failure().orElseThrow();
        assertThat(failed.task()).isEqualTo("add/shard-1");
        assertThat(failed.exitCode()).as(printed()).isEqualTo(3);
        assertThat(failed.message()).startsWith("tether add: ").contains("passed the budget");
        assertThat(dir.resolve("runs/r1/add/sums/shard-1")).doesNotExist();
    }

    @Test
    void missingImagesAreNamedBeforeAnyTaskRuns() {
        PodmanExecutor.Settings missing = settings().withTag("missing");
        assertThatThrownBy(() -> PodmanExecutor.forPipeline(toy, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("podman has no image localhost/tether-make-numbers:missing, localhost/tether-add:missing, ")
                .hasMessageContaining("podman load -i components/<module>/target/jib-image.tar");
        assertThatThrownBy(() -> PodmanExecutor.forPipeline(toy, new PodmanExecutor.Settings(dir.resolve("no-podman").toString(), "localhost",
                "1", "64m", List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("install podman");
    }

    @Test
    void outputParametersAreParsedByTheirDeclaredTypes() throws Exception {
        Path params = Files.createDirectories(dir.resolve("params"));
        var add = StepCatalog.load().get("add").definition();
        Files.writeString(params.resolve("total"), "21.5");
        Files.writeString(params.resolve("max"), "not a number");
        assertThatThrownBy(() -> PodmanExecutor.readParameters(add, params)).isInstanceOf(TaskFailure.class)
                .hasMessage("step add: output parameter max: max: expected a number, got 'not a number'");
        Files.delete(params.resolve("max"));
        assertThatThrownBy(() -> PodmanExecutor.readParameters(add, params)).isInstanceOf(TaskFailure.class)
                .hasMessage("step add succeeded but wrote no output parameter max");
        Files.writeString(params.resolve("max"), "7");
        assertThat(PodmanExecutor.readParameters(add, params)).containsEntry("total", 21.5).containsEntry("max", 7.0);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
