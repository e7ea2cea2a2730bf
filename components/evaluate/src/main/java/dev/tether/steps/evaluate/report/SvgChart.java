package dev.tether.steps.evaluate.report;

import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * A chart drawn to SVG with JFreeSVG: the standalone file (charts/&lt;id&gt;.svg) and the same
 * drawing as an element to inline in report.html, so the report is one file that opens offline.
 *
 * <p>Each chart's clip paths and gradients get ids prefixed with the chart's id: several charts
 * inlined in one HTML page must not share ids, and JFreeSVG's default prefix is time-based, which
 * would also make two runs' reports differ.
 */
public record SvgChart(String id, String title, String caption, String document, String element) {

    static {
        // Charts are drawn in containers without a display.
        System.setProperty("java.awt.headless", "true");
    }

    public static final int WIDTH = 880;
    public static final int HEIGHT = 520;

    public static SvgChart render(String id, String title, String caption, JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        String element = g.getSVGElement(id, true, new ViewBox(0, 0, width, height), null, null);
        return new SvgChart(id, title, caption, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element + "\n", element);
    }

    /** The file name inside the artifact. */
    public String fileName() {
        return "charts/" + id + ".svg";
    }
}
