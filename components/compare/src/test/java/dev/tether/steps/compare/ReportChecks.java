package dev.tether.steps.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** What every report must be: SVG files that parse, and each chart inlined in the HTML. */
final class ReportChecks {
    private ReportChecks() {}

    /** @return the chart ids found */
    static List<String> wellFormed(Path dir) throws Exception {
        List<Path> svgs;
        try (Stream<Path> s = Files.list(dir.resolve("charts"))) {
            svgs = s.sorted().toList();
        }
        String html = Files.readString(dir.resolve("report.html"));
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n").doesNotContain("<script")
                // Self-contained: nothing is fetched when it opens (namespaces are names, not fetches).
                .doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("url(http").doesNotContain("@import");
        for (Path svg : svgs) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            String id = svg.getFileName().toString().replace(".svg", "");
            assertThat(doc.getDocumentElement().getAttribute("id")).isEqualTo(id);
            // Drawn, not empty: a chart has text (title, axes) and paths (lines, markers).
            assertThat(doc.getElementsByTagName("text").getLength()).as(id).isGreaterThan(3);
            assertThat(doc.getElementsByTagName("path").getLength()).as(id).isGreaterThan(2);
            assertThat(html).contains("<figure id=\"chart-" + id + "\">\n<svg");
            assertThat(md).contains("](charts/" + id + ".svg)");
        }
        assertThat(new String(Files.readAllBytes(dir.resolve("report.html")), StandardCharsets.UTF_8)).contains("<meta charset=\"utf-8\">");
        return svgs.stream().map(p -> p.getFileName().toString().replace(".svg", "")).toList();
    }
}
