package dev.tether.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.Manifest;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.pipeline.compile.ImageContract;
import dev.tether.pipeline.defs.DemoPipeline;
import dev.tether.pipeline.defs.RlhfPpoPipeline;
import dev.tether.pipeline.local.LocalRunner;
import dev.tether.pipeline.local.PodmanExecutor;
import dev.tether.pipeline.local.RunReport;
import dev.tether.pipeline.local.TaskReport;
import dev.tether.step.StepCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tether run --executor podman}: the demo pipeline — every step the demo has, from the data
 * to the comparison — with each task in its step's image, loaded from the tarballs Jib wrote, then
 * the same pipeline in-process for comparison. The demo's own profiles take minutes of container
 * starts (the quick one has over 400 tasks, see containers/README.md for its measured time), so
 * this runs the same {@link DemoPipeline} at a smaller size: two PPO iterations per arm. The
 * product's own pipeline, rlhf-ppo, runs too, its rollouts fanned out over shards at run time.
 */
class DemoPipelineImagesIT {
    private static final Duration LOAD = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo's pipeline, small: 100 SFT steps, 2 PPO iterations per arm, evaluated after each on 32 prompts. */
    static final DemoPipeline.Profile SMOKE = new DemoPipeline.Profile("demo-smoke", 100, 2, 1, 32, 2e-4, 1);

    private static Podman podman;
    private static Path work;
    private static Path podmanCommand;

    @BeforeAll
    static void loadEveryImageThePipelineNeeds() throws Exception {
        assertThat(Podman.onPath()).as("podman is not on PATH (containers/README.md)").isTrue();
        work = Path.of(System.getProperty("tether.smoke.work")).resolve("demo-pipeline");
        AtomicFiles.deleteRecursively(work);
        Files.createDirectories(work);
        podman = Podman.isolatedIn(Path.of(System.getProperty("tether.smoke.podman.dir")), System.getProperty("tether.smoke.storage.driver", "vfs"));
        podmanCommand = podman.wrapperScript(work.resolve("podman"));

        Path components = Path.of(System.getProperty("tether.smoke.components"));
        Set<String> modules = new LinkedHashSet<>();
        new DemoPipeline(SMOKE).pipeline().tasks().forEach(t -> modules.add(ImageContract.module(t.step())));
        for (String module : modules) {
            Path tar = components.resolve(module).resolve("target/jib-image.tar");
            assertThat(tar).as("the image of module " + module + "; build it with -Pimages (containers/README.md)").isRegularFile();
            long start = System.nanoTime();
            Podman.Result load = podman.run(LOAD, "load", "--input", tar.toString());
            assertThat(load.exit()).as(load.describe()).isZero();
            System.out.printf("podman load %s in %.1f s%n", tar, (System.nanoTime() - start) / 1e9);
        }
        // The storage outlives the test: images an earlier build loaded under the same names are now untagged; drop them.
        podman.run(LOAD, "image", "prune", "--force");
    }

    @Test
    void theDemoPipelineRunsWithEveryStepInItsImage() throws Exception {
        Pipeline pipeline = new DemoPipeline(SMOKE).pipeline();
        Path runs = work.resolve("runs");
        Files.createDirectories(runs);
        // The image's user (1001) writes into the run's folders; the folders above them need only be passable.
        Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxr-xr-x"));
        PodmanExecutor.Settings settings = settings();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        RunReport inPods = new LocalRunner(PodmanExecutor.forPipeline(pipeline, settings), runs, out, out, false)
                .run(pipeline, "pods", Map.of("seed", "3"), Map.of());
        double seconds = (System.nanoTime() - start) / 1e9;
        String log = printed.toString(StandardCharsets.UTF_8);
        System.out.printf("%d tasks in containers in %.1f s (%.2f s per task)%n", pipeline.tasks().size(), seconds,
                seconds / pipeline.tasks().size());
        assertThat(inPods.exitCode()).as(log).isZero();
        assertThat(inPods.tasks()).as(log).allMatch(t -> t.status() == TaskReport.Status.DONE);
        // The steps' own lines came through, in UTF-8 (the base image carries the C.UTF-8 locale).
        assertThat(log).containsPattern("reward-train: bow on \\d+ preference pairs, loss [0-9.]+ → [0-9.]+");

        Path run = runs.resolve("pods");
        // Each task's outputs carry the manifest the step wrote inside its container, naming it.
        for (Task t : pipeline.tasks()) {
            for (var port : t.step().outputs()) {
                Manifest m = ArtifactReader.open(run.resolve(t.name()).resolve(port.name()), port.schema(), port.schemaVersion()).manifest();
                assertThat(m.producer().step()).as(t.name()).isEqualTo(t.step().name());
            }
        }
        // Output parameters came back through the files the steps wrote, typed as declared.
        assertThat(inPods.task("beta-0-ppo-update-1").outputParameters()).containsEntry("beta", 0.0);
        double beta = (Double) inPods.task("beta-adaptive-ppo-update-1").outputParameters().get("beta");
        assertThat(beta).isBetween(0.3 * 0.98 * 0.98, 0.3 * 1.02 * 1.02).isNotEqualTo(0.3);
        JsonNode comparison = JSON.readTree(run.resolve("compare/report/comparison.json").toFile());
        assertThat(comparison.path("arms")).hasSize(2);
        assertThat(run.resolve("compare/report/report.html")).content().contains("<svg");

        // The same pipeline in this JVM: the deterministic data step makes byte-identical files.
        printed.reset();
        RunReport here = LocalRunner.inProcess(StepCatalog.load(), runs, out, out, false)
                .run(pipeline, "here", Map.of("seed", "3"), Map.of(), Set.of("data"));
        assertThat(here.exitCode()).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        for (String output : List.of("tokenizer", "sft_text", "train_prompts", "eval_prompts", "preferences")) {
            var port = pipeline.tasks().get(0).step().output(output).orElseThrow();
            assertThat(ArtifactReader.open(run.resolve("data").resolve(output), port.schema(), port.schemaVersion()).digest()).as(output)
                    .isEqualTo(ArtifactReader.open(runs.resolve("here/data").resolve(output), port.schema(), port.schemaVersion()).digest());
        }
    }

    @Test
    void rlhfPpoFansItsRolloutsOutOverShardsInTheImages() throws Exception {
        // Its inputs, made here: the smoke demo's data, base policy and proxy reward.
        Path runs = work.resolve("runs");
        Files.createDirectories(runs);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        RunReport made = LocalRunner.inProcess(StepCatalog.load(), runs, out, out, false)
                .run(new DemoPipeline(SMOKE).pipeline(), "inputs", Map.of("seed", "5"), Map.of(), Set.of("reward-train"));
        assertThat(made.exitCode()).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        Path in = runs.resolve("inputs");

        Pipeline rlhf = new RlhfPpoPipeline().pipeline();
        PodmanExecutor.Settings settings = settings();
        printed.reset();
        RunReport report = new LocalRunner(PodmanExecutor.forPipeline(rlhf, settings), runs, out, out, false).run(rlhf, "rlhf",
                Map.of("num_shards", "3", "max_new_tokens", "13"),
                Map.of("policy", in.resolve("sft/policy"), "prompts", in.resolve("data/train_prompts"),
                        "reward_model", in.resolve("reward-train/reward_model"), "reference_policy", in.resolve("sft/policy")));
        String log = printed.toString(StandardCharsets.UTF_8);
        assertThat(report.exitCode()).as(log).isZero();
        // Three shards of 64 prompts, merged in the rollout image: 22 + 21 + 21 samples.
        assertThat(report.task("merge-rollout-0").outputParameters()).as(log).containsEntry("num_samples", 64L);
        // Each shard scored in the reward image, the scores merged there (merge-scores) in shard order.
        assertThat(report.ran()).as(log).contains("reward-0/shard-2", "merge-scores-0");
        assertThat(report.task("ppo-update-2").outputParameters()).containsKeys("kl", "reward", "beta");
        assertThat(runs.resolve("rlhf/ppo-update-2/outputs.json")).content().contains("\"metrics\"").contains("approx_kl");
    }

    /** The executor's defaults, with podman pointed at this test's configuration and storage. */
    private static PodmanExecutor.Settings settings() {
        PodmanExecutor.Settings d = PodmanExecutor.Settings.defaults();
        return new PodmanExecutor.Settings(podmanCommand.toString(), d.registry(), d.tag(), d.tmpSize(), List.of());
    }
}
