package dev.tether.steps.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.CanonicalJson;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.Schemas;
import dev.tether.step.StepCli;
import dev.tether.steps.evaluate.artifact.Evaluation;
import dev.tether.steps.evaluate.artifact.EvaluationArtifact;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.report.Numbers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare through its command line, on evaluations with the demo recipe's numbers. */
class CompareStepTest {
    /** Kept under target/ so the report can be opened after the build (and screenshotted). */
    static final Path DEMO_REPORT = Path.of("target", "test-output", "compare-report");

    @TempDir
    static Path tmp;
    static Path base;
    static Path beta0;
    static Path adaptive;

    @BeforeAll
    static void arms() {
        base = SyntheticArms.base(tmp.resolve("base"));
        beta0 = SyntheticArms.write(tmp.resolve("beta-0"), "beta-0", SyntheticArms.BETA_0, 5, false);
        adaptive = SyntheticArms.write(tmp.resolve("beta-adaptive"), "beta-adaptive", SyntheticArms.ADAPTIVE, 5, true);
    }

    private record Run(int exit, String err) {}

    private static Run compare(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(new CompareStep(), args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReportNamesBothArmsWithTheirNumbersAndWhatTheyShow() throws Exception {
        Run r = compare("--arm_a", beta0.toString(), "--arm_b", adaptive.toString(), "--base", base.toString(), "--report", DEMO_REPORT.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        ArtifactReader.open(DEMO_REPORT, Schemas.REPORT, 1);
        String md = Files.readString(DEMO_REPORT.resolve("report.md"));
        String html = Files.readString(DEMO_REPORT.resolve("report.html"));

        // The numbers table: one column per arm (its last checkpoint) and the base, each number
        // as the arm's evaluation.json has it.
        assertThat(md).contains("| base model (iteration 0) | beta-0 (iteration 150) | beta-adaptive (iteration 150) |");
        Map<String, Double> b0 = EvaluationArtifact.read(ArtifactReader.open(beta0, EvaluationArtifact.SCHEMA, 1)).evaluation().metrics();
        Map<String, Double> ad = EvaluationArtifact.read(ArtifactReader.open(adaptive, EvaluationArtifact.SCHEMA, 1)).evaluation().metrics();
        Map<String, Double> bs = EvaluationArtifact.read(ArtifactReader.open(base, EvaluationArtifact.SCHEMA, 1)).evaluation().metrics();
        for (String m : Metric.TABLE_ORDER) {
            String row = md.lines().filter(l -> l.contains("| `" + m + "` |")).findFirst().orElseThrow(() -> new AssertionError("no row " + m));
            assertThat(row).as(m).endsWith("| " + Numbers.format(bs.get(m)) + " | " + Numbers.format(b0.get(m)) + " | " + Numbers.format(ad.get(m)) + " |");
        }
        assertThat(md).contains("| gold reward (mean) | `gold_reward` | -0.0700 | -2 | 0.9600 |");

        // β = 0: the proxy climbs while gold falls, and the text degenerates.
        assertThat(md).contains("- beta-0, the base model → iteration 150: proxy reward rose 0 → 10.5000 (+10.5000) while gold reward fell -0.0700 → -2 (−1.9300); "
                + "gold peaked at 0.4500 (iteration 25, KL (k1), nats/sequence 9) before it fell — the proxy is being over-optimized");
        assertThat(md).contains("- beta-0: the text degenerates (the base model → iteration 150): distinct-2 0.4600 → 0.0300");
        assertThat(md).contains("grammatical rate 0.9900 → 0 (−0.9900)");
        // Adaptive β: KL near its target of 4 nats, gold above the base model.
        assertThat(md).contains("- beta-adaptive: adaptive β, target 4 nats/sequence: mean rollout KL");
        assertThat(md).contains("(within ±25 % of the target)");
        assertThat(md).contains("- beta-adaptive: gold reward at iteration 150 is 0.9600 against the base model's -0.0700 (+1.0300): better than the base model.");
        // Less varied (distinct-2 0.46 → 0.30) but neither repetitive nor ungrammatical: narrower, not degenerate.
        assertThat(md).contains("- beta-adaptive: the text narrows (less varied, still well-formed) (the base model → iteration 150): distinct-2 0.4600 → 0.3000");

        JsonNode c = CanonicalJson.mapper().readTree(Files.readAllBytes(DEMO_REPORT.resolve("comparison.json")));
        assertThat(c.path("arms").size()).isEqualTo(2);
        assertThat(flag(c, "beta-0", "reward")).isTrue();
        assertThat(flag(c, "beta-0", "text")).isTrue();
        assertThat(flag(c, "beta-adaptive", "reward")).isFalse();
        assertThat(flag(c, "beta-adaptive", "kl")).isTrue();
        assertThat(flag(c, "beta-adaptive", "gold_vs_base")).isTrue();
        assertThat(flag(c, "beta-adaptive", "text")).isFalse();
        assertThat(flag(c, "beta-0", "gold_vs_base")).isFalse();

        assertThat(ReportChecks.wellFormed(DEMO_REPORT)).containsExactlyInAnyOrder("reward_vs_kl", "beta_kl", "gold_vs_proxy", "text_quality");
        assertThat(html).contains("beta-0").contains("beta-adaptive").contains("nice nice nice");
        // Both arms appear in the charts' legends.
        assertThat(Files.readString(DEMO_REPORT.resolve("charts/reward_vs_kl.svg"))).contains(">beta-0<").contains(">beta-adaptive<").contains(">base model<");
    }

    private static boolean flag(JsonNode comparison, String arm, String topic) {
        for (JsonNode f : comparison.path("findings")) {
            if (f.path("arm").asText().equals(arm) && f.path("topic").asText().equals(topic)) {
                return f.path("flag").asBoolean();
            }
        }
        throw new AssertionError("no finding " + arm + "/" + topic + " in " + comparison.path("findings"));
    }

    @Test
    void theSameRunTwiceGivesTheSameReport() throws Exception {
        Path a = tmp.resolve("again-a");
        Path b = tmp.resolve("again-b");
        assertThat(compare("--arm_a", beta0.toString(), "--arm_b", adaptive.toString(), "--report", a.toString()).exit()).isZero();
        assertThat(compare("--arm_a", beta0.toString(), "--arm_b", adaptive.toString(), "--report", b.toString()).exit()).isZero();
        assertThat(Files.readString(a.resolve("report.html"))).isEqualTo(Files.readString(b.resolve("report.html")));
        // Without a base, each arm is measured from its own first checkpoint.
        assertThat(Files.readString(a.resolve("report.md"))).contains("- beta-0, iteration 0 → iteration 150: proxy reward rose");
    }

    @Test
    void onKubeflowTheReportsAreAlsoHtmlAndMarkdownArtifactsTheUiRenders() throws Exception {
        Path kfp = tmp.resolve("kfp");
        String executorInput = """
                {"outputs": {
                   "artifacts": {
                     "report": {"artifacts": [{"name": "report", "uri": "%1$s/report", "type": {"schemaTitle": "system.Artifact"}}]},
                     "report_html": {"artifacts": [{"name": "report_html", "uri": "%1$s/report_html", "type": {"schemaTitle": "system.HTML"}}]},
                     "report_md": {"artifacts": [{"name": "report_md", "uri": "%1$s/report_md", "type": {"schemaTitle": "system.Markdown"}}]}},
                   "outputFile": "%1$s/executor_output.json"}}""".formatted(kfp);
        Run r = compare("--arm_a", beta0.toString(), "--arm_b", adaptive.toString(), "--report", kfp.resolve("report").toString(),
                "--kfp-executor-input", executorInput);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(kfp.resolve("report_html"))).isEqualTo(Files.readString(kfp.resolve("report/report.html")))
                .startsWith("<!");
        assertThat(Files.readString(kfp.resolve("report_md"))).isEqualTo(Files.readString(kfp.resolve("report/report.md")));
        JsonNode out = CanonicalJson.mapper().readTree(kfp.resolve("executor_output.json").toFile());
        assertThat(out.at("/artifacts/report_html/artifacts/0/uri").asText()).isEqualTo(kfp + "/report_html");
    }

    @Test
    void armsWithOneLabelOrOtherPromptsAreRefused() throws Exception {
        Path out = tmp.resolve("refused");
        Run same = compare("--arm_a", beta0.toString(), "--arm_b", beta0.toString(), "--report", out.toString());
        assertThat(same.exit()).isEqualTo(2);
        assertThat(same.err()).contains("arm_b and arm_a are both labelled 'beta-0'").hasLineCount(1);

        Path other = tmp.resolve("other-prompts");
        try (ArtifactWriter w = ArtifactWriter.create(other, EvaluationArtifact.SCHEMA, 1, "test")) {
            w.input("prompts", "sha256:" + "3".repeat(64)).input("reward_model", SyntheticArms.REWARD_MODEL);
            Files.copy(adaptive.resolve(Evaluation.FILE_NAME), w.dir().resolve(Evaluation.FILE_NAME));
            Files.copy(adaptive.resolve(Evaluation.SAMPLES_FILE_NAME), w.dir().resolve(Evaluation.SAMPLES_FILE_NAME));
            w.commit();
        }
        Run prompts = compare("--arm_a", beta0.toString(), "--arm_b", other.toString(), "--report", out.toString());
        assertThat(prompts.exit()).isEqualTo(2);
        assertThat(prompts.err()).contains("arm_b").contains("evaluated prompts sha256:3333").hasLineCount(1);

        Run missing = compare("--arm_a", beta0.toString(), "--report", out.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("input arm_b is required");
        assertThat(out).doesNotExist();
    }
}
