package dev.tether.pipeline.local;

import static dev.tether.pipeline.ArtifactSource.pipelineInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.Tensor;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineBuilder;
import dev.tether.pipeline.toy.AddStep;
import dev.tether.pipeline.toy.Numbers;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.StepCatalog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input artifacts given to the pipeline when it runs: checked first, and part of the resume check. */
class PipelineInputRunTest {
    @TempDir
    Path tmp;

    private final CountingExecutor executor = new CountingExecutor(StepCatalog.load());
    private Pipeline pipeline;

    @BeforeEach
    void pipeline() {
        PipelineBuilder p = Pipeline.builder("shift").input(ArtifactPort.of("numbers", Numbers.SCHEMA, ArtifactKind.DATASET, "What to shift."));
        p.task("shift", AddStep.DEF).input("numbers", pipelineInput("numbers")).set("amount", 10);
        pipeline = p.build();
    }

    private RunReport run(Map<String, Path> inputs) {
        executor.invoked.clear();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new LocalRunner(executor, tmp.resolve("runs"), quiet, quiet, false).run(pipeline, "r", Map.of(), inputs);
    }

    private Path numbers(String name, float... values) {
        Path dir = tmp.resolve(name);
        try (ArtifactWriter w = ArtifactWriter.create(dir, Numbers.SCHEMA, 1, "test")) {
            w.writeSafetensors("numbers.safetensors", List.of(Tensor.ofFloats("x", new long[] {values.length}, values)));
            w.commit();
        }
        return dir;
    }

    @Test
    void readsTheGivenDirectoryAndRerunsWhenItsContentChanges() {
        Path in = numbers("in", 1, 2);
        assertThat(run(Map.of("numbers", in)).exitCode()).isZero();
        assertThat(Numbers.read(tmp.resolve("runs/r/shift/sums"))).containsExactly(11f, 12f);
        assertThat(tmp.resolve("runs/r/run.json")).content().contains("\"pipeline\": \"shift\"", in.toAbsolutePath().toString());

        run(Map.of("numbers", in));
        assertThat(executor.invoked).isEmpty();

        numbers("in", 5, 6); // same folder, new content
        run(Map.of("numbers", in));
        assertThat(executor.invoked).containsExactly("shift");
        assertThat(Numbers.read(tmp.resolve("runs/r/shift/sums"))).containsExactly(15f, 16f);
    }

    @Test
    void missingUnknownOrWrongInputsAreRefusedFirst() throws Exception {
        assertThatThrownBy(() -> run(Map.of())).hasMessage("--input numbers=DIR is required by pipeline shift (a tether.test-numbers artifact): What to shift.");
        assertThatThrownBy(() -> run(Map.of("numbers", numbers("a", 1), "extra", tmp)))
                .hasMessage("--input extra: pipeline shift has no such input; its inputs: [numbers]");
        assertThatThrownBy(() -> run(Map.of("numbers", tmp.resolve("nowhere"))))
                .hasMessage("--input numbers: " + tmp.resolve("nowhere") + " is not a directory (expected a tether.test-numbers artifact)");
        Path words = tmp.resolve("words");
        try (ArtifactWriter w = ArtifactWriter.create(words, "tether.test-words", 1, "test")) {
            w.writeText("words.txt", "hello");
            w.commit();
        }
        assertThatThrownBy(() -> run(Map.of("numbers", words))).hasMessageStartingWith("--input numbers: " + words)
                .hasMessageContaining("schema: expected 'tether.test-numbers', found 'tether.test-words'");
        assertThat(executor.invoked).isEmpty();
        assertThat(Files.exists(tmp.resolve("runs/r/shift"))).isFalse();
    }
}
