package dev.tether.pipeline.local;

import dev.tether.core.outputs.ParameterText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The table printed at the end of a run: each task's status, time and reported output parameters. */
final class SummaryTable {
    private static final List<String> HEADER = List.of("task", "status", "time", "output parameters");

    private SummaryTable() {}

    static void print(PrintStream out, RunReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TaskReport t : report.tasks()) {
            if (t.status() == TaskReport.Status.SKIPPED) {
                continue;
            }
            rows.add(List.of(t.task(), status(t), t.status() == TaskReport.Status.DONE || t.status() == TaskReport.Status.FAILED
                    ? seconds(t.seconds()) : "-", values(t.outputParameters())));
        }
        int[] width = new int[HEADER.size()];
        rows.forEach(r -> {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        });
        out.println();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(i == width.length - 1 ? r.get(i) : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        long cached = count(report, TaskReport.Status.CACHED);
        long skipped = count(report, TaskReport.Status.SKIPPED);
        report.failure().ifPresentOrElse(
                f -> out.printf(Locale.ROOT, "run %s FAILED at task %s (exit %d): %s%n", report.runId(), f.task(), f.exitCode(), f.message()),
                () -> out.printf(Locale.ROOT, "run %s done: %d ran, %d cached%s; results in %s%n", report.runId(),
                        report.tasks().size() - cached - skipped, cached, skipped == 0 ? "" : ", " + skipped + " not asked for (--until)",
                        report.runDir()));
    }

    private static long count(RunReport report, TaskReport.Status status) {
        return report.tasks().stream().filter(t -> t.status() == status).count();
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1fs", s);
    }

    static String values(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + ParameterText.format(e.getKey(), e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String status(TaskReport t) {
        return switch (t.status()) {
            case DONE -> "done";
            case CACHED -> "cached";
            case FAILED -> "FAILED (exit " + t.exitCode() + ")";
            case NOT_RUN -> "not run";
            case SKIPPED -> "skipped";
        };
    }
}
