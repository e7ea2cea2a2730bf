package dev.tether.steps.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The Quarkus entrypoint is the step's derived command line, exit codes included. */
@QuarkusMainTest
class CompareMainTest {
    @Test
    @Launch({"--help"})
    void helpListsEveryInputOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        String help = result.getOutput();
        assertThat(help).contains("Usage: compare");
        CompareStep.DEFINITION.inputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        CompareStep.DEFINITION.outputs().forEach(p -> assertThat(help).contains("--" + p.name()));
        CompareStep.DEFINITION.parameters().forEach(p -> assertThat(help).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--arm_a", "/nonexistent", "--arm_b", "/nonexistent", "--report", "/tmp/never"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether compare: input arm_a: /nonexistent is not a directory");
    }
}
