package dev.tether.step;

import dev.tether.core.outputs.ArgoOutputs;
import dev.tether.core.outputs.KfpExecutorInput;
import dev.tether.core.outputs.KfpOutputs;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a finished step's output parameters and metrics go, depending on who runs it. Written only
 * after the step succeeded, so an engine never reads values of a failed attempt.
 */
public interface OutputSink {

    void write(StepDefinition step, Map<String, Object> outputParameters, Map<String, Double> metrics);

    /** Argo: one file per output parameter, read with {@code valueFrom.path}. */
    static OutputSink argo(Path dir) {
        return (step, params, metrics) -> ArgoOutputs.writeParameters(dir, params);
    }

    /**
     * Kubeflow Pipelines v2: output parameters and the {@code system.Metrics} artifact named
     * {@value StepCli#KFP_METRICS_OUTPUT}, through the executor output file KFP's launcher reads.
     */
    static OutputSink kfp(KfpExecutorInput input) {
        return (step, params, metrics) -> {
            KfpOutputs out = KfpOutputs.of(input);
            params.forEach(out::parameter);
            if (step.reportsMetrics()) {
                out.metrics(StepCli.KFP_METRICS_OUTPUT, metrics);
            }
            out.write();
        };
    }
}
