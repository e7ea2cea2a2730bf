package dev.tether.pipeline.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.step.Step;
import dev.tether.step.StepCatalog;
import dev.tether.steps.ppo.PpoUpdateStep;
import dev.tether.steps.rollout.MergeRolloutStep;
import dev.tether.steps.rollout.RolloutStep;
import dev.tether.steps.rollout.ShardPlanStep;
import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The image a compiled spec names for a step is the image of the module the step's class is in. */
class ImageContractTest {

    @Test
    void everyStepOfTheRegisteredPipelinesRunsInTheImageOfItsModule() throws Exception {
        StepCatalog steps = StepCatalog.load();
        TreeSet<String> checked = new TreeSet<>();
        for (Pipeline p : CommittedSpecsTest.registeredPipelines()) {
            for (Task t : p.tasks()) {
                if (!checked.add(t.step().name())) {
                    continue;
                }
                Step step = steps.get(t.step().name());
                // target/classes of components/<module> in a reactor build, or tether-<module>-<version>.jar from a repository
                Path where = Path.of(step.getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
                String module = ImageContract.module(t.step());
                assertThat(where.toString().contains("/components/" + module + "/target/")
                        || where.getFileName().toString().startsWith("tether-" + module + "-"))
                        .as("step %s is in %s, so its image is not tether-%s; update ImageContract.HOSTED", t.step().name(), where, module)
                        .isTrue();
            }
        }
        assertThat(checked).contains("rollout", "merge-rollout", "reward", "reference", "ppo-update");
    }

    @Test
    void aHostedStepIsNamedFirstAndAMainStepIsNot() {
        assertThat(ImageContract.module(MergeRolloutStep.DEFINITION)).isEqualTo("rollout");
        assertThat(ImageContract.leadingArguments(MergeRolloutStep.DEFINITION)).containsExactly("merge-rollout");
        assertThat(ImageContract.leadingArguments(RolloutStep.DEFINITION)).isEmpty();
        // the KFP shard plan is no pipeline task, so the check above does not reach it
        assertThat(ImageContract.module(ShardPlanStep.DEFINITION)).isEqualTo("rollout");
        assertThat(ImageContract.leadingArguments(ShardPlanStep.DEFINITION)).containsExactly("shard-plan");
        assertThat(CompileSettings.defaults().withTag("9.9").image(PpoUpdateStep.DEFINITION)).isEqualTo("ghcr.io/tether-dev/tether-ppo-update:9.9");
    }
}
