package dev.tether.steps.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class EvaluateMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        assertThat(help).contains("Usage: evaluate");
        EvaluateStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        EvaluateStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        EvaluateStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--policy", "/nonexistent", "--prompts", "/nonexistent", "--reward_model", "/nonexistent", "--evaluation", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether evaluate: input policy: /nonexistent is not a directory");
    }
}
