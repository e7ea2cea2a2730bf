package dev.tether.steps.rewardtrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class RewardTrainMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        assertThat(help).contains("Usage: reward-train");
        RewardTrainStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        RewardTrainStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        RewardTrainStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--preferences", "/nonexistent", "--reward_model", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether reward-train: input preferences: /nonexistent is not a directory");
    }
}
