package dev.tether.steps.sft;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class SftMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        assertThat(help).contains("Usage: sft");
        SftStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        SftStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        SftStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--text", "/nonexistent", "--policy", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether sft: input text: /nonexistent is not a directory");
    }
}
