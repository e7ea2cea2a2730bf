package dev.tether.steps.evaluate;

import static dev.tether.steps.evaluate.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.steps.evaluate.Fixtures.Run;
import dev.tether.steps.evaluate.artifact.Evaluation;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.report.Numbers;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The evaluation's report: SVG files that parse, charts inlined in the HTML, the Markdown's numbers those of evaluation.json. */
class EvaluateReportTest {
    /** Kept under target/ so the report can be opened after the build (and screenshotted). */
    static final Path REPORT = Path.of("target", "test-output", "evaluate-report");

    @TempDir
    Path tmp;

    @Test
    void aReportOfACheckpointWithHistoryAndTrainingLog() throws Exception {
        Path policy0 = Fixtures.reviewPolicy(tmp.resolve("policy0"), 9);
        Path policy1 = Fixtures.policy(tmp.resolve("policy1"), 65, 10, true, Fixtures.trainingLog(12), 12);
        Path prompts = Fixtures.rawPrompts(tmp.resolve("prompts"), "{\"prompt\": \"the coffee\"}\n{\"prompt\": \"the pizza\"}\n");
        float[] w = new float[65];
        w[35] = 1;
        w[50] = -1;
        Path rm = Fixtures.rewardModel(tmp.resolve("rm"), w, policy0);
        String[] common = {"--prompts", prompts.toString(), "--reward_model", rm.toString(), "--reference_policy", policy0.toString(),
            "--gold_task", "reviews", "--label", "beta-adaptive", "--max_new_tokens", "13", "--samples_per_prompt", "6"};
        Run first = step(new EvaluateStep(), concat(common, "--policy", policy0.toString(), "--evaluation", tmp.resolve("e0").toString()));
        assertThat(first.exit()).as(first.err()).isZero();
        Run second = step(new EvaluateStep(), concat(common, "--policy", policy1.toString(), "--evaluation", REPORT.toString(),
                "--history", tmp.resolve("e0").toString()));
        assertThat(second.exit()).as(second.err()).isZero();

        Evaluation e = EvaluateStepTest.read(REPORT).evaluation();
        String md = Files.readString(REPORT.resolve("report.md"));
        String html = Files.readString(REPORT.resolve("report.html"));
        for (String m : Metric.TABLE_ORDER) {
            String row = md.lines().filter(l -> l.contains("| `" + m + "` |")).findFirst().orElseThrow(() -> new AssertionError("no row " + m));
            assertThat(row).as(m).endsWith("| " + Numbers.format(e.metrics().get(m)) + " |");
            assertThat(html).contains("<code>" + m + "</code></td><td class=\"num\">" + Numbers.format(e.metrics().get(m)) + "</td>");
        }
        assertThat(md).contains("# tether evaluation: beta-adaptive, iteration 12");
        // Two checkpoints on the curve, so the findings have a trend to report.
        assertThat(md).contains("- beta-adaptive, iteration 0 → iteration 12: proxy reward");
        assertThat(md).contains("- beta-adaptive: adaptive β, target 2 nats/sequence");

        List<Path> svgs;
        try (Stream<Path> s = Files.list(REPORT.resolve("charts"))) {
            svgs = s.sorted().toList();
        }
        assertThat(svgs).extracting(p -> p.getFileName().toString())
                .containsExactly("beta_kl.svg", "gold_vs_proxy.svg", "reward_vs_kl.svg", "text_quality.svg");
        for (Path svg : svgs) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
            String id = svg.getFileName().toString().replace(".svg", "");
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(doc.getElementsByTagName("text").getLength()).as(id).isGreaterThan(3);
            assertThat(html).contains("<figure id=\"chart-" + id + "\">\n<svg");
            assertThat(md).contains("](charts/" + id + ".svg)");
        }
        assertThat(html).doesNotContain("<script").doesNotContain("src=\"http");
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
