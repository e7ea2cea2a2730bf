package dev.tether.steps.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class PpoUpdateMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        PpoUpdateStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        PpoUpdateStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        PpoUpdateStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--policy", "/nonexistent", "--rollout", "/nonexistent", "--scores", "/nonexistent", "--ref_logprobs", "/nonexistent", "--updated_policy", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether ppo-update: input policy: /nonexistent is not a directory");
    }
}
