package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** The image's entrypoint runs reviews-data, by default or by name, with the step's exit codes. */
@QuarkusMainTest
class TasksMainTest {
    @Test
    @Launch({"reviews-data", "--help"})
    void helpListsEveryOutputAndParameter(LaunchResult result) {
        assertThat(result.exitCode()).isZero();
        ReviewsDataStep.DEFINITION.outputs().forEach(p -> assertThat(result.getOutput()).contains("--" + p.name()));
        ReviewsDataStep.DEFINITION.parameters().forEach(p -> assertThat(result.getOutput()).contains("--" + p.name()));
    }

    @Test
    @Launch(value = {"--seed", "lots"}, exitCode = 2)
    void badInputIsExitTwoWithOneLine(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("tether reviews-data: seed: expected an integer, got 'lots'");
    }
}
