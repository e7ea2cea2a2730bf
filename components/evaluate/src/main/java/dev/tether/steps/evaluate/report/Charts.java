package dev.tether.steps.evaluate.report;

import dev.tether.core.kl.KlUnit;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.KlTargetJson;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.artifact.SampleRow;
import dev.tether.steps.evaluate.artifact.TrainingLogEntry;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, built with JFreeChart; one colour per arm in every chart, the base model in
 * grey. Each method returns empty when there is nothing to draw (no gold, no training log), and
 * the report says so instead of showing an empty frame.
 */
public final class Charts {
    private static final Color[] ARM_COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};
    private static final Color BASE_COLOR = new Color(0x555555);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {}

    static Color color(int arm) {
        return ARM_COLORS[arm % ARM_COLORS.length];
    }

    /**
     * Proxy and gold reward against KL, one point per evaluated checkpoint, one line per arm: the
     * over-optimization picture of Gao et al. (2022), where the proxy keeps climbing with KL while
     * the gold turns over.
     */
    public static Optional<SvgChart> rewardVsKl(List<Arm> arms, Optional<EvaluationPoint> base, String klMetric) {
        // Gao et al. plot against d = √KL: it spreads the small KLs a penalized arm stays at
        // and gathers the large ones an unpenalized arm runs off to, so both arms fit one chart.
        NumberAxis kl = axis("√KL to the reference, √(" + Metric.describe(klMetric) + ")");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(kl);
        plot.setGap(12);
        plot.add(pointPlot(arms, base, klMetric, Metric.REWARD, true, true), 1);
        boolean gold = arms.stream().anyMatch(a -> a.points().stream().anyMatch(p -> p.metric(Metric.GOLD).isPresent()));
        if (gold) {
            plot.add(pointPlot(arms, base, klMetric, Metric.GOLD, false, true), 1);
        }
        JFreeChart chart = chart(gold ? "Proxy and gold reward against KL" : "Proxy reward against KL", plot);
        return Optional.of(SvgChart.render("reward_vs_kl", "Reward against KL",
                "One point per evaluated checkpoint, joined in iteration order, against √KL as in Gao et al. (the tables give KL itself). Proxy: the reward model the policy was trained on; "
                        + "gold: what it stands in for. Over-optimization shows as a proxy that keeps climbing while gold turns over.",
                chart, SvgChart.WIDTH, gold ? 620 : SvgChart.HEIGHT));
    }

    /** β and the rollout's KL at every PPO iteration, from the checkpoints' training logs, with the KL target. */
    public static Optional<SvgChart> betaAndKl(List<Arm> arms) {
        if (arms.stream().allMatch(a -> a.log().isEmpty())) {
            return Optional.empty();
        }
        KlUnit unit = arms.stream().flatMap(a -> a.target().stream()).findFirst().map(KlTargetJson::klUnit).orElse(KlUnit.KL_SEQ);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(axis("PPO iteration"));
        plot.setGap(12);
        XYSeriesCollection klData = new XYSeriesCollection();
        XYSeriesCollection betaData = new XYSeriesCollection();
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            Arm arm = arms.get(i);
            if (arm.log().isEmpty()) {
                continue;
            }
            XYSeries k = new XYSeries(arm.label(), false, true);
            XYSeries b = new XYSeries(arm.label(), false, true);
            for (TrainingLogEntry e : arm.log()) {
                k.add(e.iteration(), e.kl(unit));
                b.add(e.iteration(), e.beta());
            }
            klData.addSeries(k);
            betaData.addSeries(b);
            colors.add(color(i));
        }
        XYPlot klPlot = new XYPlot(klData, null, axis("rollout KL, nats/" + (unit == KlUnit.KL_SEQ ? "sequence" : "token")),
                lines(colors, false, true));
        Set<Double> targets = new LinkedHashSet<>();
        arms.forEach(a -> a.target().filter(t -> t.klUnit() == unit).ifPresent(t -> targets.add(t.value())));
        for (double t : targets) {
            ValueMarker m = new ValueMarker(t, BASE_COLOR, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            m.setLabel("KL target " + Numbers.format(t));
            m.setLabelFont(AXIS_FONT);
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            klPlot.addRangeMarker(m);
        }
        style(klPlot);
        XYPlot betaPlot = new XYPlot(betaData, null, axis("β"), lines(colors, false, false));
        style(betaPlot);
        plot.add(klPlot, 1);
        plot.add(betaPlot, 1);
        return Optional.of(SvgChart.render("beta_kl", "β and KL per iteration",
                "The KL of each iteration's rollout (as ppo-update measured it, in the target's unit) and the β it used. "
                        + "An adaptive β holds KL near its target; with β = 0 nothing does.",
                chart("β and KL per PPO iteration", plot), SvgChart.WIDTH, 620));
    }

    /**
     * Gold against proxy: every sample of each arm's latest evaluation (small, translucent) and the
     * mean of every evaluated checkpoint (joined). Where the proxy is right, the cloud rises to the
     * right; an exploit sits at high proxy and low gold.
     */
    public static Optional<SvgChart> goldVsProxy(List<Arm> arms, Optional<EvaluationPoint> base) {
        boolean gold = arms.stream().anyMatch(a -> a.samples().stream().anyMatch(s -> s.gold() != null));
        if (!gold) {
            return Optional.empty();
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        int series = 0;
        for (int i = 0; i < arms.size(); i++) {
            Arm arm = arms.get(i);
            XYSeries samples = new XYSeries(arm.label() + ": samples (iteration " + arm.last().iteration() + ")", false, true);
            for (SampleRow s : arm.samples()) {
                if (s.gold() != null) {
                    samples.add(s.reward(), s.gold());
                }
            }
            XYSeries means = new XYSeries(arm.label() + ": checkpoint means", false, true);
            for (EvaluationPoint p : arm.points()) {
                p.metric(Metric.GOLD).ifPresent(g -> means.add(p.require(Metric.REWARD), g));
            }
            Color c = color(i);
            data.addSeries(samples);
            r.setSeriesPaint(series, new Color(c.getRed(), c.getGreen(), c.getBlue(), 70));
            r.setSeriesLinesVisible(series, false);
            r.setSeriesShape(series, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
            series++;
            data.addSeries(means);
            r.setSeriesPaint(series, c);
            r.setSeriesStroke(series, new BasicStroke(2f));
            r.setSeriesShape(series, new Rectangle2D.Double(-4, -4, 8, 8));
            series++;
        }
        if (base.isPresent() && base.get().metric(Metric.GOLD).isPresent()) {
            XYSeries b = new XYSeries("base model", false, true);
            b.add(base.get().require(Metric.REWARD), base.get().require(Metric.GOLD));
            data.addSeries(b);
            baseStyle(r, series);
        }
        XYPlot plot = new XYPlot(data, axis("proxy reward"), axis("gold reward"), r);
        plot.setOrientation(PlotOrientation.VERTICAL);
        style(plot);
        return Optional.of(SvgChart.render("gold_vs_proxy", "Gold against proxy",
                "Dots: each sample of the latest evaluated checkpoint of each arm. Squares: the means of each evaluated checkpoint.",
                chart("Gold reward against proxy reward", plot), SvgChart.WIDTH, SvgChart.HEIGHT));
    }

    /** Diversity, repetition and (for the demo task) grammaticality of each evaluated checkpoint, by iteration. */
    public static Optional<SvgChart> textQuality(List<Arm> arms, Optional<EvaluationPoint> base) {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(axis("PPO iteration"));
        plot.setGap(10);
        boolean first = true;
        for (String metric : List.of(Metric.DISTINCT_2, Metric.REPETITION, Metric.GRAMMATICAL)) {
            boolean present = arms.stream().anyMatch(a -> a.points().stream().anyMatch(p -> p.metric(metric).isPresent()));
            if (present) {
                plot.add(iterationPlot(arms, base, metric, first), 1);
                first = false;
            }
        }
        return Optional.of(SvgChart.render("text_quality", "Text quality per checkpoint",
                "Degenerate text repeats itself (repetition up), says the same few things (distinct-2 down) and, in the demo task, stops parsing.",
                chart("Text quality per evaluated checkpoint", plot), SvgChart.WIDTH, 620));
    }

    // ------------------------------------------------------------------ building blocks

    /** @param sqrtX plot √x (x clipped at 0: a k1 estimate of a KL near 0 can be slightly negative) */
    private static XYPlot pointPlot(List<Arm> arms, Optional<EvaluationPoint> base, String x, String y, boolean legend, boolean sqrtX) {
        DoubleUnaryOperator fx = sqrtX ? v -> Math.sqrt(Math.max(0, v)) : v -> v;
        XYSeriesCollection data = new XYSeriesCollection();
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            XYSeries s = new XYSeries(arms.get(i).label(), false, true);
            for (EvaluationPoint p : arms.get(i).points()) {
                if (p.metric(x).isPresent() && p.metric(y).isPresent()) {
                    s.add(fx.applyAsDouble(p.require(x)), p.require(y));
                }
            }
            data.addSeries(s);
            colors.add(color(i));
        }
        XYLineAndShapeRenderer r = lines(colors, true, legend);
        if (base.isPresent() && base.get().metric(x).isPresent() && base.get().metric(y).isPresent()) {
            XYSeries b = new XYSeries("base model", false, true);
            b.add(fx.applyAsDouble(base.get().require(x)), base.get().require(y));
            data.addSeries(b);
            baseStyle(r, data.getSeriesCount() - 1);
            r.setSeriesVisibleInLegend(data.getSeriesCount() - 1, legend);
        }
        XYPlot plot = new XYPlot(data, null, axis(Metric.describe(y)), r);
        style(plot);
        return plot;
    }

    private static XYPlot iterationPlot(List<Arm> arms, Optional<EvaluationPoint> base, String y, boolean legend) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            XYSeries s = new XYSeries(arms.get(i).label(), false, true);
            for (EvaluationPoint p : arms.get(i).points()) {
                p.metric(y).ifPresent(v -> s.add(p.iteration(), v));
            }
            data.addSeries(s);
            colors.add(color(i));
        }
        XYLineAndShapeRenderer r = lines(colors, true, legend);
        if (base.isPresent() && base.get().metric(y).isPresent()) {
            XYSeries b = new XYSeries("base model", false, true);
            b.add(base.get().iteration(), base.get().require(y));
            data.addSeries(b);
            baseStyle(r, data.getSeriesCount() - 1);
            r.setSeriesVisibleInLegend(data.getSeriesCount() - 1, legend);
        }
        XYPlot plot = new XYPlot(data, null, axis(Metric.describe(y)), r);
        style(plot);
        return plot;
    }

    private static XYLineAndShapeRenderer lines(List<Color> colors, boolean shapes, boolean legend) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < colors.size(); i++) {
            r.setSeriesPaint(i, colors.get(i));
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        // In a combined plot every subplot would list the arms again; the first one speaks for all.
        r.setDefaultSeriesVisibleInLegend(legend);
        return r;
    }

    private static void baseStyle(XYLineAndShapeRenderer r, int series) {
        r.setSeriesPaint(series, BASE_COLOR);
        r.setSeriesLinesVisible(series, false);
        r.setSeriesShapesVisible(series, true);
        r.setSeriesShape(series, new Rectangle2D.Double(-6, -6, 12, 12));
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        // A constant series (gold −2 for every checkpoint of a collapsed arm) would otherwise get
        // a range of width ~0 and tick labels like "-2E0".
        a.setAutoRangeMinimumSize(0.1);
        a.setLabelFont(AXIS_FONT);
        a.setTickLabelFont(AXIS_FONT.deriveFont(11f));
        return a;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(new Color(0xbbbbbb));
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        style(plot);
        return finish(new JFreeChart(title, TITLE_FONT, plot, true));
    }

    private static JFreeChart chart(String title, CombinedDomainXYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        return finish(new JFreeChart(title, TITLE_FONT, plot, true));
    }

    private static JFreeChart finish(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setItemFont(AXIS_FONT);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        return chart;
    }
}
