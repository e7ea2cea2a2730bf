package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactDigest;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One toy step, driven through its derived command line the way a container runs it. */
class StepCliTest {
    @TempDir
    Path tmp;

    private Path numbers;

    /** Scales a vector; reports its total; fails, trips a guard or forgets its outputs on request. */
    static final class ScaleStep implements Step {
        static final StepDefinition DEF = StepDefinition.builder("scale")
                .description("Multiplies every number by a factor.")
                .input(ArtifactPort.of("numbers", "tether.test-numbers", ArtifactKind.DATASET, "The numbers."))
                .output(ArtifactPort.of("scaled", "tether.test-numbers", ArtifactKind.DATASET, "The numbers, scaled."))
                .parameter(ParameterSpec.optional("scale_factor", ParamType.DOUBLE, "2", "The factor."))
                .parameter(ParameterSpec.optional("seed", ParamType.INT, "1", "Seed."))
                .parameter(ParameterSpec.choice("mode", "ok", "What to do.", "ok", "crash", "guard", "forget"))
                .outputParameter("total", ParamType.DOUBLE, "Sum of the scaled numbers.")
                .optionalOutputParameter("bonus", ParamType.DOUBLE, "Only when the factor is 3.")
                .reportsMetrics()
                .build();

        @Override
        public StepDefinition definition() {
            return DEF;
        }

        @Override
        public void run(StepContext ctx) {
            float[] v;
            try (var f = ctx.input("numbers").safetensors("numbers.safetensors")) {
                v = f.get("x").toFloats();
            }
            double total = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] *= (float) ctx.number("scale_factor");
                total += v[i];
            }
            try (ArtifactWriter w = ctx.writer("scaled")) {
                w.writeSafetensors("numbers.safetensors", List.of(Tensor.ofFloats("x", new long[] {v.length}, v)));
                switch (ctx.string("mode")) {
                    case "crash" -> throw new IllegalStateException("disk on fire");
                    case "guard" -> throw new StepGuardException("kl_seq 31.2 nats passed the budget of 20");
                    default -> w.commit();
                }
            }
            if (!ctx.string("mode").equals("forget")) {
                ctx.outputParameter("total", total);
            }
            if (ctx.number("scale_factor") == 3) {
                ctx.outputParameter("bonus", 1.0);
            }
            ctx.metric("total", total);
        }
    }

    private record Outcome(int exit, String out, String err) {}

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(new ScaleStep(), args, new PrintStream(out, true), new PrintStream(err, true));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void input() {
        numbers = tmp.resolve("numbers");
        try (ArtifactWriter w = ArtifactWriter.create(numbers, "tether.test-numbers", 1, "test")) {
            w.writeSafetensors("numbers.safetensors", List.of(Tensor.ofFloats("x", new long[] {3}, new float[] {1, 2, 3.5f})));
            w.commit();
        }
    }

    @Test
    void helpListsEverythingTheDefinitionDeclares() {
        Outcome o = run("--help");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("--numbers=DIR", "input artifact tether.test-numbers", "--scaled=DIR", "output artifact",
                "--scale_factor, --scale-factor=DOUBLE", "default: 2", "--mode=OK|CRASH|GUARD|FORGET", "--argo-outputs",
                "[total, bonus]", "--kfp-executor-input", "Exit codes");
    }

    @Test
    void runsWritesProvenanceAndArgoOutputs() throws Exception {
        Path scaled = tmp.resolve("scaled");
        Outcome o = run("--numbers", numbers.toString(), "--scaled", scaled.toString(), "--scale-factor", "3",
                "--argo-outputs", tmp.resolve("argo").toString());
        assertThat(o.exit()).as(o.err()).isZero();
        ArtifactReader r = ArtifactReader.open(scaled, "tether.test-numbers", 1);
        try (var f = r.safetensors("numbers.safetensors")) {
            assertThat(f.get("x").toFloats()).containsExactly(3f, 6f, 10.5f);
        }
        assertThat(r.input("numbers")).isEqualTo(ArtifactDigest.of(numbers));
        assertThat(r.manifest().producer().step()).isEqualTo("scale");
        assertThat(r.manifest().parameters()).containsEntry("scale_factor", 3.0).containsEntry("mode", "ok");
        assertThat(r.manifest().seed()).isEqualTo(1L);
        assertThat(Files.readString(tmp.resolve("argo/total"))).isEqualTo("19.5");
        assertThat(Files.readString(tmp.resolve("argo/bonus"))).isEqualTo("1.0");
        // The metrics go beside them, for whoever collects the folder (the podman executor records them).
        assertThat(dev.tether.core.outputs.MetricsJson.read(tmp.resolve("argo/metrics.json"))).containsEntry("total", 19.5);
        // Optional output parameters may be left out: the step still succeeds, and no file is written.
        Outcome without = run("--numbers", numbers.toString(), "--scaled", tmp.resolve("s2").toString(), "--argo-outputs", tmp.resolve("argo2").toString());
        assertThat(without.exit()).as(without.err()).isZero();
        assertThat(tmp.resolve("argo2/total")).exists();
        assertThat(tmp.resolve("argo2/bonus")).doesNotExist();
    }

    @Test
    void kfpExecutorOutputCarriesParametersAndMetrics() throws Exception {
        Path exec = tmp.resolve("kfp/executor_output.json");
        Path metricsPath = tmp.resolve("kfp/metrics");
        Path totalPath = tmp.resolve("kfp/total");
        String executorInput = """
                {"inputs": {"parameterValues": {}},
                 "outputs": {
                   "artifacts": {"metrics": {"artifacts": [{"name": "metrics", "uri": "%s", "type": {"schemaTitle": "system.Metrics"}}]}},
                   "parameters": {"total": {"outputFile": "%s"}},
                   "outputFile": "%s"}}""".formatted(metricsPath, totalPath, exec);
        Outcome o = run("--numbers", numbers.toString(), "--scaled", tmp.resolve("s").toString(), "--kfp-executor-input", executorInput);
        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(exec.toFile());
        assertThat(out.at("/parameterValues/total").asDouble()).isEqualTo(13.0);
        assertThat(out.at("/artifacts/metrics/artifacts/0/metadata/total").asDouble()).isEqualTo(13.0);
        assertThat(Files.readString(totalPath)).isEqualTo("13.0");
    }

    @Test
    void badInputExitsTwoWithOneLineAndNoOutput() {
        Path scaled = tmp.resolve("scaled");
        Outcome bad = run("--numbers", numbers.toString(), "--scaled", scaled.toString(), "--scale_factor", "lots");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("tether scale: scale_factor: expected a number, got 'lots'");

        Outcome choice = run("--numbers", numbers.toString(), "--scaled", scaled.toString(), "--mode", "maybe");
        assertThat(choice.err()).contains("mode: expected one of ok, crash, guard, forget, got 'maybe'");

        Outcome missing = run("--scaled", scaled.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("input numbers is required (--numbers DIR, a tether.test-numbers artifact)");

        Outcome unknown = run("--numbers", numbers.toString(), "--scaled", scaled.toString(), "--beta", "1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown options: '--beta'");

        Outcome same = run("--numbers", numbers.toString(), "--scaled", numbers.toString());
        assertThat(same.exit()).isEqualTo(2);
        assertThat(same.err()).contains("is also an input");
        assertThat(scaled).doesNotExist();
    }

    @Test
    void inputOfTheWrongKindOrTamperedIsRefused() throws Exception {
        Path other = tmp.resolve("other");
        try (ArtifactWriter w = ArtifactWriter.create(other, "tether.scores", 1, "reward")) {
            w.writeText("x.txt", "x");
            w.commit();
        }
        Outcome wrong = run("--numbers", other.toString(), "--scaled", tmp.resolve("s").toString());
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("tether.test-numbers").contains("tether.scores");

        Files.write(numbers.resolve("numbers.safetensors"), new byte[] {1, 2, 3});
        Outcome tampered = run("--numbers", numbers.toString(), "--scaled", tmp.resolve("s").toString());
        assertThat(tampered.exit()).isEqualTo(2);
        assertThat(tampered.err()).contains("numbers.safetensors");
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    @Test
    void crashGuardAndBrokenPromisesLeaveNoOutputs() {
        Path argo = tmp.resolve("argo");
        Outcome crash = run("--numbers", numbers.toString(), "--scaled", tmp.resolve("c").toString(), "--mode", "crash", "--argo-outputs", argo.toString());
        assertThat(crash.exit()).isEqualTo(1);
        assertThat(crash.err().strip()).isEqualTo("tether scale: failed: IllegalStateException: disk on fire");
        assertThat(tmp.resolve("c")).doesNotExist();
        assertThat(argo).doesNotExist();

        Outcome guard = run("--numbers", numbers.toString(), "--scaled", tmp.resolve("g").toString(), "--mode", "guard", "--argo-outputs", argo.toString());
        assertThat(guard.exit()).isEqualTo(3);
        assertThat(guard.err().strip()).isEqualTo("tether scale: kl_seq 31.2 nats passed the budget of 20");
        assertThat(tmp.resolve("g")).doesNotExist();
        assertThat(argo).doesNotExist();

        Outcome forgot = run("--numbers", numbers.toString(), "--scaled", tmp.resolve("f").toString(), "--mode", "forget", "--argo-outputs", argo.toString());
        assertThat(forgot.exit()).isEqualTo(1);
        assertThat(forgot.err()).contains("without reporting output parameters [total]");
        assertThat(argo).doesNotExist();
    }

    @Test
    void definitionsRefuseAmbiguity() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StepDefinition.builder("x")
                        .input(ArtifactPort.of("policy", "tether.policy", ArtifactKind.MODEL, ""))
                        .parameter(ParameterSpec.optional("policy", ParamType.STRING, "a", "")).build())
                .hasMessageContaining("'policy' is declared twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StepDefinition.builder("PPO_update").build())
                .hasMessageContaining("kebab-case");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParameterSpec.optional("kl-target", ParamType.DOUBLE, "1", ""))
                .hasMessageContaining("snake_case");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParameterSpec.optional("beta", ParamType.DOUBLE, "x", ""))
                .hasMessageContaining("beta: expected a number, got 'x'");
    }
}
