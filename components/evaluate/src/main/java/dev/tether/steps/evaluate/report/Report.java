package dev.tether.steps.evaluate.report;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.artifact.SampleRow;
import dev.tether.steps.evaluate.artifact.TrainingLogEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The report of an evaluation (one arm) or of a comparison (several arms and the base model):
 * findings in sentences with their numbers, a table of every metric, the charts, every evaluated
 * checkpoint, the training log, sample texts and where it all came from. Rendered as one
 * self-contained HTML page (charts inlined as SVG, no script, nothing fetched), as Markdown with
 * the charts beside it as SVG files, and as those SVG files.
 */
public record Report(String title, String subtitle, List<Arm> arms, Optional<EvaluationPoint> base, List<Finding> findings,
        List<SvgChart> charts, Map<String, String> provenance) {

    public static final String HTML_FILE = "report.html";
    public static final String MARKDOWN_FILE = "report.md";
    /** Samples shown per arm (the first few of each prompt); samples.jsonl has them all. */
    static final int SAMPLES_SHOWN = 12;
    /** Rows of the training log shown per arm, evenly spread, the last always included. */
    static final int LOG_ROWS = 16;

    public static Report build(String title, String subtitle, List<Arm> arms, Optional<EvaluationPoint> base, Map<String, String> provenance) {
        String klMetric = arms.get(0).klMetric();
        List<SvgChart> charts = new ArrayList<>();
        Charts.rewardVsKl(arms, base, klMetric).ifPresent(charts::add);
        Charts.betaAndKl(arms).ifPresent(charts::add);
        Charts.goldVsProxy(arms, base).ifPresent(charts::add);
        Charts.textQuality(arms, base).ifPresent(charts::add);
        return new Report(title, subtitle, List.copyOf(arms), base, Findings.of(arms, base), List.copyOf(charts), new LinkedHashMap<>(provenance));
    }

    /** Writes report.html, report.md and charts/*.svg into an artifact being written. */
    public void write(ArtifactWriter w) {
        for (SvgChart c : charts) {
            w.writeText(c.fileName(), c.document());
        }
        w.writeText(HTML_FILE, html());
        w.writeText(MARKDOWN_FILE, markdown());
    }

    /** The columns of the numbers table: the base model, then each arm's latest checkpoint. */
    public Map<String, EvaluationPoint> columns() {
        Map<String, EvaluationPoint> cols = new LinkedHashMap<>();
        base.ifPresent(b -> cols.put("base model (iteration " + b.iteration() + ")", b));
        arms.forEach(a -> cols.put(a.label() + " (iteration " + a.last().iteration() + ")", a.last()));
        return cols;
    }

    private List<String> tableMetrics() {
        List<String> rows = new ArrayList<>();
        for (String m : Metric.TABLE_ORDER) {
            if (columns().values().stream().anyMatch(p -> p.metric(m).isPresent())) {
                rows.add(m);
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ HTML

    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"subtitle\">").append(Html.escape(subtitle)).append("</p>\n");

        h.append("<section id=\"findings\">\n<h2>Findings</h2>\n<ul>\n");
        for (Finding f : findings) {
            h.append("<li class=\"finding ").append(f.topic()).append(f.flag() ? " flagged" : "").append("\" data-arm=\"").append(Html.escape(f.arm()))
                    .append("\">").append(Html.escape(f.text())).append("</li>\n");
        }
        h.append("</ul>\n</section>\n");

        h.append("<section id=\"numbers\">\n<h2>Numbers</h2>\n<table>\n<thead><tr><th>metric</th><th>name</th>");
        columns().keySet().forEach(c -> h.append("<th>").append(Html.escape(c)).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (String m : tableMetrics()) {
            h.append("<tr><td>").append(Html.escape(Metric.describe(m))).append("</td><td><code>").append(m).append("</code></td>");
            columns().values().forEach(p -> h.append("<td class=\"num\">").append(p.metric(m).map(Numbers::format).orElse("—")).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");

        h.append("<section id=\"charts\">\n<h2>Charts</h2>\n");
        for (SvgChart c : charts) {
            h.append("<figure id=\"chart-").append(c.id()).append("\">\n").append(c.element()).append("\n<figcaption><strong>")
                    .append(Html.escape(c.title())).append(".</strong> ").append(Html.escape(c.caption())).append(" (<a href=\"")
                    .append(c.fileName()).append("\">SVG</a>)</figcaption>\n</figure>\n");
        }
        if (arms.stream().allMatch(a -> a.log().isEmpty())) {
            h.append("<p class=\"note\">No training log: the policy carries no ppo-update trainer state (a base model), so there is no β/KL chart.</p>\n");
        }
        h.append("</section>\n");

        h.append("<section id=\"checkpoints\">\n<h2>Evaluated checkpoints</h2>\n");
        for (Arm a : arms) {
            h.append("<h3>").append(Html.escape(a.label())).append("</h3>\n");
            htmlTable(h, checkpointHeader(a), checkpointRows(a));
        }
        h.append("</section>\n");

        if (arms.stream().anyMatch(a -> !a.log().isEmpty())) {
            h.append("<section id=\"training\">\n<h2>Training log</h2>\n");
            for (Arm a : arms) {
                if (!a.log().isEmpty()) {
                    h.append("<h3>").append(Html.escape(a.label())).append(" (").append(a.log().size()).append(" iterations)</h3>\n");
                    htmlTable(h, LOG_HEADER, logRows(a));
                }
            }
            h.append("</section>\n");
        }

        h.append("<section id=\"samples\">\n<h2>Samples</h2>\n");
        for (Arm a : arms) {
            h.append("<h3>").append(Html.escape(a.label())).append(", iteration ").append(a.last().iteration()).append("</h3>\n");
            htmlTable(h, SAMPLE_HEADER, sampleRows(a));
        }
        h.append("</section>\n");

        h.append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<table>\n");
        provenance.forEach((k, v) -> h.append("<tr><th>").append(Html.escape(k)).append("</th><td><code>").append(Html.escape(v)).append("</code></td></tr>\n"));
        h.append("</table>\n</section>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void htmlTable(StringBuilder h, List<String> header, List<List<String>> rows) {
        h.append("<table>\n<thead><tr>");
        header.forEach(c -> h.append("<th>").append(Html.escape(c)).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : rows) {
            h.append("<tr>");
            r.forEach(c -> h.append("<td>").append(Html.escape(c)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    // ------------------------------------------------------------------ Markdown

    public String markdown() {
        StringBuilder m = new StringBuilder();
        m.append("# ").append(title).append("\n\n").append(subtitle).append("\n\n## Findings\n\n");
        findings.forEach(f -> m.append("- ").append(f.text()).append('\n'));
        m.append("\n## Numbers\n\n| metric | name |");
        columns().keySet().forEach(c -> m.append(' ').append(Html.markdownCell(c)).append(" |"));
        m.append("\n|---|---|");
        columns().keySet().forEach(c -> m.append("---:|"));
        m.append('\n');
        for (String metric : tableMetrics()) {
            m.append("| ").append(Html.markdownCell(Metric.describe(metric))).append(" | `").append(metric).append("` |");
            columns().values().forEach(p -> m.append(' ').append(p.metric(metric).map(Numbers::format).orElse("—")).append(" |"));
            m.append('\n');
        }
        m.append("\n## Charts\n\n");
        for (SvgChart c : charts) {
            m.append("![").append(c.title()).append("](").append(c.fileName()).append(")\n\n*").append(c.caption()).append("*\n\n");
        }
        m.append("## Evaluated checkpoints\n\n");
        for (Arm a : arms) {
            m.append("### ").append(a.label()).append("\n\n");
            markdownTable(m, checkpointHeader(a), checkpointRows(a));
        }
        if (arms.stream().anyMatch(a -> !a.log().isEmpty())) {
            m.append("## Training log\n\n");
            for (Arm a : arms) {
                if (!a.log().isEmpty()) {
                    m.append("### ").append(a.label()).append(" (").append(a.log().size()).append(" iterations)\n\n");
                    markdownTable(m, LOG_HEADER, logRows(a));
                }
            }
        }
        m.append("## Samples\n\n");
        for (Arm a : arms) {
            m.append("### ").append(a.label()).append(", iteration ").append(a.last().iteration()).append("\n\n");
            markdownTable(m, SAMPLE_HEADER, sampleRows(a));
        }
        m.append("## Provenance\n\n| | |\n|---|---|\n");
        provenance.forEach((k, v) -> m.append("| ").append(Html.markdownCell(k)).append(" | `").append(Html.markdownCell(v)).append("` |\n"));
        return m.toString();
    }

    private static void markdownTable(StringBuilder m, List<String> header, List<List<String>> rows) {
        m.append('|');
        header.forEach(c -> m.append(' ').append(Html.markdownCell(c)).append(" |"));
        m.append("\n|");
        header.forEach(c -> m.append("---|"));
        m.append('\n');
        for (List<String> r : rows) {
            m.append('|');
            r.forEach(c -> m.append(' ').append(Html.markdownCell(c)).append(" |"));
            m.append('\n');
        }
        m.append('\n');
    }

    // ------------------------------------------------------------------ table contents

    private static final List<String> LOG_HEADER = List.of("iteration", "β", "β next", "KL, nats/sequence", "KL, nats/token", "proxy score");
    private static final List<String> SAMPLE_HEADER = List.of("prompt", "response", "proxy", "gold", "KL k1, nats", "tokens");

    private static List<String> checkpointHeader(Arm a) {
        return List.of("iteration", "label", Metric.describe(a.klMetric()), "proxy reward", "gold reward", "distinct-2", "repetition rate",
                "grammatical rate", "length");
    }

    private static List<List<String>> checkpointRows(Arm a) {
        List<List<String>> rows = new ArrayList<>();
        for (EvaluationPoint p : a.points()) {
            Function<String, String> v = m -> p.metric(m).map(Numbers::format).orElse("—");
            rows.add(List.of(Long.toString(p.iteration()), p.label(), v.apply(a.klMetric()), v.apply(Metric.REWARD), v.apply(Metric.GOLD),
                    v.apply(Metric.DISTINCT_2), v.apply(Metric.REPETITION), v.apply(Metric.GRAMMATICAL), v.apply(Metric.LENGTH)));
        }
        return rows;
    }

    private static List<List<String>> logRows(Arm a) {
        List<TrainingLogEntry> log = a.log();
        List<List<String>> rows = new ArrayList<>();
        int n = log.size();
        int shown = Math.min(n, LOG_ROWS);
        int previous = -1;
        for (int k = 0; k < shown; k++) {
            // Evenly spread over the run, first and last included.
            int i = shown == 1 ? n - 1 : (int) Math.round((double) k * (n - 1) / (shown - 1));
            if (i == previous) {
                continue;
            }
            previous = i;
            TrainingLogEntry e = log.get(i);
            rows.add(List.of(Long.toString(e.iteration()), Numbers.format(e.beta()), Numbers.format(e.betaNext()), Numbers.format(e.klSeq()),
                    Numbers.format(e.klToken()), Numbers.format(e.score())));
        }
        return rows;
    }

    private static List<List<String>> sampleRows(Arm a) {
        // The first few samples of each prompt in turn, so every prompt is seen.
        Map<Integer, List<SampleRow>> byPrompt = new LinkedHashMap<>();
        a.samples().forEach(s -> byPrompt.computeIfAbsent(s.promptIndex(), k -> new ArrayList<>()).add(s));
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; rows.size() < SAMPLES_SHOWN; k++) {
            boolean any = false;
            for (List<SampleRow> l : byPrompt.values()) {
                if (k < l.size() && rows.size() < SAMPLES_SHOWN) {
                    SampleRow s = l.get(k);
                    // A response that is only EOS decodes to nothing; say so rather than show a blank cell.
                    rows.add(List.of(s.prompt(), s.response().isBlank() ? "(empty)" : s.response(), Numbers.format(s.reward()), s.gold() == null ? "—" : Numbers.format(s.gold()),
                            Numbers.format(s.klK1()), Integer.toString(s.length())));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return rows;
    }

    private static final String CSS = """
            body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #222; background: #fafafa; margin: 0; }
            main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
            h1 { font-size: 26px; margin-bottom: 4px; }
            h2 { font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            h3 { font-size: 16px; margin-top: 20px; }
            .subtitle { color: #555; margin-top: 0; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
            thead th { background: #f0f0f0; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            li.finding { margin: 6px 0; line-height: 1.4; }
            li.finding.flagged.reward, li.finding.flagged.text { color: #a11; }
            li.finding.flagged.kl, li.finding.flagged.gold_vs_base { color: #161; }
            figure { margin: 16px 0 28px; }
            figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { font-size: 13px; color: #444; max-width: 880px; }
            .note { color: #666; font-style: italic; }
            code { font-size: 12px; }
            """;
}
