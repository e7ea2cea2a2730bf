package dev.tether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.models.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON lines of bench/run.sh (tether's, one per measure and round, and the baseline's,
 * one per round) into Markdown tables: per shape, the median over rounds with its min–max spread,
 * tether against the baseline, and tether's peak RSS next to every speed.
 */
final class Table {

  /** tether measure → the baseline's field for the same work (absent: no baseline number). */
  static final Map<String, String> BASELINE = new LinkedHashMap<>();

  static {
    BASELINE.put("sample_cache", "sample_cache_tok_s");
    BASELINE.put("sample_nocache", "sample_nocache_tok_s");
    BASELINE.put("score", "score_tok_s");
    BASELINE.put("score_tokens", null);
    BASELINE.put("score_onnx", null);
    BASELINE.put("train", "train_tok_s");
  }

  private Table() {}

  static void main(String[] files) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String f : files) {
      for (String line : Files.readAllLines(Path.of(f))) {
        if (line.startsWith("{")) {
          lines.add(ModelConfig.JSON.readTree(line));
        }
      }
    }
    Map<String, List<JsonNode>> byShape = new LinkedHashMap<>();
    for (JsonNode j : lines) {
      byShape.computeIfAbsent(key(j), k -> new ArrayList<>()).add(j);
    }
    StringBuilder out = new StringBuilder();
    byShape.forEach((key, group) -> table(out, key, group));
    System.out.print(out);
  }

  static String key(JsonNode j) {
    String shape = j.get("shape").asText().equals("small") ? "gpt2-small" : j.get("shape").asText();
    return shape + ", batch " + j.get("batch").asInt() + ", prompt " + j.get("prompt").asInt()
        + ", new " + j.get("new").asInt();
  }

  static void table(StringBuilder out, String key, List<JsonNode> group) {
    List<JsonNode> baseline = group.stream().filter(j -> !j.path("impl").asText().equals("tether")).toList();
    out.append("\n### ").append(key).append("\n\n");
    out.append("| measure | tether tok/s (min–max) | baseline tok/s (min–max) | tether ÷ baseline "
        + "| tether ms/token | tether peak RSS MB |\n| --- | --- | --- | --- | --- | --- |\n");
    Map<String, double[]> tetherTokS = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : BASELINE.entrySet()) {
      List<JsonNode> runs = group.stream()
          .filter(j -> j.path("impl").asText().equals("tether") && j.path("measure").asText().equals(e.getKey()))
          .toList();
      double[] t = values(runs, "tok_s");
      double[] b = e.getValue() == null ? new double[0] : bestPerRound(baseline, e.getValue());
      boolean tetherRan = group.stream().anyMatch(j -> j.path("impl").asText().equals("tether"));
      if (t.length == 0 && (b.length == 0 || tetherRan)) {
        continue;
      }
      tetherTokS.put(e.getKey(), t);
      out.append("| ").append(e.getKey())
          .append(" | ").append(spread(t))
          .append(" | ").append(spread(b))
          .append(" | ").append(t.length > 0 && b.length > 0 ? String.format("%.2f×", median(t) / median(b)) : "")
          .append(" | ").append(t.length > 0 ? String.format("%.3f", median(values(runs, "ms_per_token"))) : "")
          .append(" | ").append(t.length > 0 ? String.format("%.0f", max(values(runs, "peak_rss_mb"))) : "")
          .append(" |\n");
    }
    double[] bRss = values(baseline, "peak_rss_mb");
    if (bRss.length > 0) {
      out.append("\nBaseline peak RSS (one process: sampling, scoring and training): ")
          .append(String.format("%.0f MB", max(bRss))).append(". ");
    }
    double[] onnx = tetherTokS.getOrDefault("score_onnx", new double[0]);
    double[] scorer = tetherTokS.getOrDefault("score_tokens", new double[0]);
    if (onnx.length > 0 && scorer.length > 0) {
      out.append(String.format("ONNX Runtime ÷ PyTorch engine (same response log-probs): %.2f×. ",
          median(onnx) / median(scorer)));
    }
    double[] gflops = values(group.stream().filter(j -> j.path("measure").asText().equals("score")).toList(), "gflop_s");
    double[] peak = values(group.stream().filter(j -> j.path("measure").asText().equals("matmul")).toList(), "gflops");
    double[] bPeak = bestPerRound(baseline, "matmul_gflops");
    if (gflops.length > 0) {
      out.append(String.format("Scoring reaches %.0f GFLOP/s", median(gflops)));
      if (peak.length > 0) {
        out.append(String.format(" (%.0f %% of tether's 2048² matmul, %.0f GFLOP/s", 100 * median(gflops) / median(peak),
            median(peak)));
        out.append(bPeak.length > 0 ? String.format("; the baseline's matmul: %.0f GFLOP/s)", median(bPeak)) : ")");
      }
      out.append(".");
    }
    List<String> threads = group.stream().filter(j -> j.path("impl").asText().equals("tether"))
        .map(j -> "torch " + j.path("torch_threads").asText() + ", interop " + j.path("torch_interop_threads").asText()
            + ", OMP " + j.path("omp_num_threads").asText())
        .distinct().toList();
    out.append("\ntether threads: ").append(String.join("; ", threads)).append(".\n");
  }

  /** The baseline's figure per round, the better of its thread settings in that round. */
  static double[] bestPerRound(List<JsonNode> runs, String field) {
    Map<Integer, Double> best = new LinkedHashMap<>();
    for (JsonNode j : runs) {
      if (j.has(field)) {
        best.merge(j.path("round").asInt(0), j.get(field).asDouble(), Math::max);
      }
    }
    return best.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] values(List<JsonNode> runs, String field) {
    return runs.stream().filter(j -> j.has(field)).mapToDouble(j -> j.get(field).asDouble()).toArray();
  }

  static String spread(double[] x) {
    if (x.length == 0) {
      return "";
    }
    if (x.length == 1) {
      return String.format("%.1f", x[0]);
    }
    double[] s = x.clone();
    Arrays.sort(s);
    return String.format("%.1f (%.1f–%.1f)", median(s), s[0], s[s.length - 1]);
  }

  static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static double max(double[] x) {
    return Arrays.stream(x).max().orElse(Double.NaN);
  }
}
