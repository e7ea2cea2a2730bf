package dev.tether.steps.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class RewardMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        RewardStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        RewardStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        RewardStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--rollout", "/nonexistent", "--reward_model", "/nonexistent", "--scores", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether reward: input rollout: /nonexistent is not a directory");
    }
}
