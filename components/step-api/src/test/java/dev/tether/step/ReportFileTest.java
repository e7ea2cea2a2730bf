package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.outputs.KfpExecutorInput;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports a step writes into an output, handed to KFP as system.HTML / system.Markdown artifacts. */
class ReportFileTest {
    static final String HTML = "<!doctype html><h1>KL 0.0125 nats</h1>\n";
    static final String MARKDOWN = "# KL\n\n0.0125 nats ≈ kl_seq\n";

    @TempDir
    Path tmp;

    private Path exec;
    private Path htmlPath;
    private Path markdownPath;
    private String executorInput;

    /** Writes a summary with report.html and report.md; leaves the HTML out on request. */
    static final class SummaryStep implements Step {
        static final StepDefinition DEF = StepDefinition.builder("summary")
                .output(ArtifactPort.of("summary", "tether.test-summary", ArtifactKind.ARTIFACT, "The summary."))
                .parameter(ParameterSpec.choice("mode", "ok", "What to do.", "ok", "no-html"))
                .outputParameter("kl", ParamType.DOUBLE, "KL.")
                .htmlReport("report_html", "summary", "report.html")
                .markdownReport("report_md", "summary", "report.md")
                .build();

        @Override
        public StepDefinition definition() {
            return DEF;
        }

        @Override
        public void run(StepContext ctx) {
            try (ArtifactWriter w = ctx.writer("summary")) {
                if (ctx.string("mode").equals("ok")) {
                    w.writeText("report.html", HTML);
                }
                w.writeText("report.md", MARKDOWN);
                w.commit();
            }
            ctx.outputParameter("kl", 0.0125);
        }
    }

    @BeforeEach
    void kfpExecutorInput() {
        exec = tmp.resolve("kfp/executor_output.json");
        htmlPath = tmp.resolve("kfp/report_html");
        markdownPath = tmp.resolve("kfp/report_md");
        executorInput = """
                {"inputs": {"parameterValues": {}},
                 "outputs": {
                   "artifacts": {
                     "summary": {"artifacts": [{"name": "summary", "uri": "%s", "type": {"schemaTitle": "system.Artifact"}}]},
                     "report_html": {"artifacts": [{"name": "report_html", "uri": "%s", "type": {"schemaTitle": "system.HTML"}}]},
                     "report_md": {"artifacts": [{"name": "report_md", "uri": "%s", "type": {"schemaTitle": "system.Markdown"}}]}},
                   "parameters": {"kl": {"outputFile": "%s"}},
                   "outputFile": "%s"}}""".formatted(tmp.resolve("kfp/summary"), htmlPath, markdownPath, tmp.resolve("kfp/kl"), exec);
    }

    private record Outcome(int exit, String err) {}

    private Outcome run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(new SummaryStep(), args, new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true));
        return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void kfpGetsEachReportAtItsArtifactsLocalPathAndInTheExecutorOutput() throws Exception {
        Path summary = tmp.resolve("kfp/summary");
        Outcome o = run("--summary", summary.toString(), "--kfp-executor-input", executorInput);
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(Files.readString(htmlPath)).isEqualTo(HTML).isEqualTo(Files.readString(summary.resolve("report.html")));
        assertThat(Files.readString(markdownPath)).isEqualTo(MARKDOWN);
        JsonNode out = new ObjectMapper().readTree(exec.toFile());
        assertThat(out.at("/artifacts/report_html/artifacts/0/uri").asText()).isEqualTo(htmlPath.toString());
        assertThat(out.at("/artifacts/report_md/artifacts/0/uri").asText()).isEqualTo(markdownPath.toString());
        assertThat(out.at("/parameterValues/kl").asDouble()).isEqualTo(0.0125);
    }

    @Test
    void argoLeavesTheReportsInTheirArtifact() throws Exception {
        Path argo = tmp.resolve("argo");
        Outcome o = run("--summary", tmp.resolve("summary").toString(), "--argo-outputs", argo.toString());
        assertThat(o.exit()).as(o.err()).isZero();
        try (var files = Files.list(argo)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("kl");
        }
    }

    @Test
    void aMissingReportFailsNamingTheFileAndNothingReachesKfp() {
        Path summary = tmp.resolve("kfp/summary");
        Outcome o = run("--summary", summary.toString(), "--mode", "no-html", "--kfp-executor-input", executorInput);
        assertThat(o.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(o.err().strip()).isEqualTo("tether summary: failed: IllegalStateException: step summary finished without writing its "
                + "report report.html in output 'summary' (" + summary.resolve("report.html") + ")");
        assertThat(exec).doesNotExist();
        assertThat(markdownPath).doesNotExist();
        assertThat(tmp.resolve("kfp/kl")).doesNotExist();
        // The report is part of what the step promised, whoever runs it.
        Path argo = tmp.resolve("argo");
        Outcome local = run("--summary", tmp.resolve("local").toString(), "--mode", "no-html", "--argo-outputs", argo.toString());
        assertThat(local.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(local.err()).contains("without writing its report report.html");
        assertThat(argo).doesNotExist();
    }

    @Test
    void theKfpSinkOnItsOwnRefusesAMissingReportBeforeWritingAnything() throws Exception {
        Path summary = Files.createDirectories(tmp.resolve("summary"));
        Files.writeString(summary.resolve("report.md"), MARKDOWN);
        OutputSink sink = OutputSink.kfp(KfpExecutorInput.parse(executorInput));
        assertThatThrownBy(() -> sink.write(SummaryStep.DEF, Map.of("summary", summary), Map.of("kl", 0.0125), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step summary finished without writing its report report.html in output 'summary' ("
                        + summary.resolve("report.html") + ")");
        assertThat(tmp.resolve("kfp")).doesNotExist();
    }

    private static StepDefinition.Builder withOutput() {
        return StepDefinition.builder("summary")
                .input(ArtifactPort.of("rollout", "tether.rollout", ArtifactKind.DATASET, ""))
                .output(ArtifactPort.of("summary", "tether.test-summary", ArtifactKind.ARTIFACT, ""))
                .parameter(ParameterSpec.optional("title", ParamType.STRING, "t", ""))
                .outputParameter("kl", ParamType.DOUBLE, "");
    }

    private static void refused(UnaryOperator<StepDefinition.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(withOutput()).build()).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void definitionsRefuseReportsThatCannotBeFoundOrNamed() {
        refused(b -> b.htmlReport("report-html", "summary", "report.html"),
                "report name: expected snake_case like kl_target, got 'report-html'");
        refused(b -> b.htmlReport("report_html", "evaluation", "report.html"),
                "step summary: report 'report_html' is read from output 'evaluation', which the step does not declare; outputs: [summary]");
        refused(b -> b.htmlReport("report_html", "summary", "charts/kl.html"),
                "report report_html: file: expected a plain file name like report.html, got 'charts/kl.html'");
        refused(b -> b.htmlReport("report_html", "summary", ".."),
                "report report_html: file: expected a plain file name like report.html, got '..'");
        refused(b -> b.htmlReport("report_html", "summary", "/tmp/report.html"),
                "report report_html: file: expected a plain file name like report.html, got '/tmp/report.html'");
        refused(b -> b.htmlReport("report_html", "summary", ""),
                "report report_html: file: expected a plain file name like report.html, got ''");
        refused(b -> b.htmlReport("report_html", "", "report.html"),
                "report report_html: the output artifact it is written into is required");
    }

    @Test
    void definitionsRefuseReportsNamedLikeAnythingElseOfTheStep() {
        refused(b -> b.htmlReport("summary", "summary", "report.html"), "step summary: report 'summary' has the name of an output; give it its own name");
        refused(b -> b.htmlReport("rollout", "summary", "report.html"), "step summary: report 'rollout' has the name of an input; give it its own name");
        refused(b -> b.htmlReport("title", "summary", "report.html"), "step summary: report 'title' has the name of a parameter; give it its own name");
        refused(b -> b.htmlReport("kl", "summary", "report.html"),
                "step summary: report 'kl' has the name of an output parameter; give it its own name");
        refused(b -> b.htmlReport("metrics", "summary", "report.html"),
                "step summary: report 'metrics' has the name of the KFP metrics output; give it its own name");
        refused(b -> b.htmlReport("report", "summary", "report.html").markdownReport("report", "summary", "report.md"),
                "step summary: report 'report' is declared twice");
    }

    @Test
    void reportsArePartOfTheSignature() {
        StepDefinition a = withOutput().htmlReport("report_html", "summary", "report.html").build();
        assertThat(a).isEqualTo(withOutput().htmlReport("report_html", "summary", "report.html").build());
        assertThat(a).isNotEqualTo(withOutput().build());
        assertThat(a).isNotEqualTo(withOutput().markdownReport("report_html", "summary", "report.html").build());
        assertThat(a.reports()).containsExactly(new ReportFile("report_html", ReportFile.Kind.HTML, "summary", "report.html"));
    }
}
