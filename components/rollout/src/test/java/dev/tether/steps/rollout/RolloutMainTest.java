package dev.tether.steps.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class RolloutMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        RolloutStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        RolloutStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        RolloutStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch({"merge-rollout", "--help"})
    void theMergeStepIsSelectedByName(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: merge-rollout").contains("--rollouts=DIR").contains("one artifact per");
    }

    @Test
    @Launch({"shard-plan", "--help"})
    void theShardPlanStepIsSelectedByName(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Usage: shard-plan").contains("--num_shards");
    }

    @Test
    @Launch(value = {"shuffle", "--help"}, exitCode = 2)
    void anUnknownStepNameIsRefused(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("unknown step 'shuffle'").contains("rollout, merge-rollout");
    }

    @Test
    @Launch(value = {"--policy", "/nonexistent", "--prompts", "/nonexistent", "--rollout", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether rollout: input policy: /nonexistent is not a directory");
    }
}
