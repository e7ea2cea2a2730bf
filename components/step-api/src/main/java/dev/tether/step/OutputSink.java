package dev.tether.step;

import dev.tether.core.outputs.ArgoOutputs;
import dev.tether.core.outputs.KfpExecutorInput;
import dev.tether.core.outputs.KfpOutputs;
import dev.tether.core.outputs.MetricsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a finished step's output parameters, metrics and reports go, depending on who runs it.
 * Written only after the step succeeded, so an engine never reads values of a failed attempt.
 */
public interface OutputSink {

    /** @param outputs the step's committed output artifacts, by output name */
    void write(StepDefinition step, Map<String, Path> outputs, Map<String, Object> outputParameters, Map<String, Double> metrics);

    /**
     * Argo: one file per output parameter, read with {@code valueFrom.path}, and the metrics as
     * {@value MetricsJson#FILE_NAME} beside them (for whoever collects the folder: the local
     * runner's podman executor records them). Reports stay in their artifacts, which Argo's UI lists.
     */
    static OutputSink argo(Path dir) {
        return (step, outputs, params, metrics) -> {
            ArgoOutputs.writeParameters(dir, params);
            if (step.reportsMetrics()) {
                MetricsJson.write(dir.resolve(MetricsJson.FILE_NAME), metrics);
            }
        };
    }

    /**
     * Kubeflow Pipelines v2: output parameters, the {@code system.Metrics} artifact named
     * {@value StepCli#KFP_METRICS_OUTPUT} and each declared report as a {@code system.HTML} or
     * {@code system.Markdown} artifact, through the executor output file KFP's launcher reads.
     */
    static OutputSink kfp(KfpExecutorInput input) {
        return (step, outputs, params, metrics) -> {
            // Every report is read before anything is written, so a missing one leaves no partial outputs.
            Map<ReportFile, String> reports = new LinkedHashMap<>();
            for (ReportFile r : step.reports()) {
                reports.put(r, read(step, r, outputs));
            }
            KfpOutputs out = KfpOutputs.of(input);
            params.forEach(out::parameter);
            if (step.reportsMetrics()) {
                out.metrics(StepCli.KFP_METRICS_OUTPUT, metrics);
            }
            reports.forEach((r, text) -> {
                switch (r.kind()) {
                    case HTML -> out.html(r.name(), text);
                    case MARKDOWN -> out.markdown(r.name(), text);
                }
            });
            out.write();
        };
    }

    private static String read(StepDefinition step, ReportFile r, Map<String, Path> outputs) {
        Path file = StepRunner.reportFile(step, r, outputs);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("step " + step.name() + ": cannot read report " + file + ": " + e.getMessage(), e);
        }
    }
}
