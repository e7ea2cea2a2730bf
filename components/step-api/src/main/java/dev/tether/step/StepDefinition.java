package dev.tether.step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A step's signature, declared once. The container entrypoint ({@link StepCli}), the component
 * specs the pipeline compilers emit and the local runner's in-process call ({@link StepRunner}) are
 * all derived from it, so nothing about a step's inputs, outputs or parameters is written twice.
 *
 * @param name kebab-case, e.g. {@code ppo-update}: the command, the image and the KFP component name
 * @param reports files inside outputs that engines with a report viewer also get as reports of
 *     their own (see {@link ReportFile})
 * @param stochastic whether two runs with the same inputs may differ (sampling without a fixed seed
 *     parameter); KFP caching is switched off for such steps
 */
public record StepDefinition(
        String name,
        String description,
        List<ArtifactPort> inputs,
        List<ArtifactPort> outputs,
        List<ParameterSpec> parameters,
        List<OutputParameter> outputParameters,
        boolean reportsMetrics,
        List<ReportFile> reports,
        boolean stochastic,
        Resources resources) {

    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9-]*");

    public StepDefinition {
        if (name == null || !KEBAB.matcher(name).matches()) {
            throw new IllegalArgumentException("step name: expected kebab-case like ppo-update, got '" + name + "'");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        parameters = List.copyOf(parameters);
        outputParameters = List.copyOf(outputParameters);
        reports = List.copyOf(reports);
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        inputs.forEach(p -> all.add(p.name()));
        outputs.forEach(p -> all.add(p.name()));
        parameters.forEach(p -> all.add(p.name()));
        for (String n : all) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException("step " + name + ": '" + n + "' is declared twice (inputs, outputs and parameters share one namespace: they are all --options)");
            }
        }
        Set<String> outNames = new HashSet<>();
        for (OutputParameter o : outputParameters) {
            if (!outNames.add(o.name())) {
                throw new IllegalArgumentException("step " + name + ": output parameter '" + o.name() + "' is declared twice");
            }
        }
        for (ArtifactPort o : outputs) {
            if (o.optional()) {
                throw new IllegalArgumentException("step " + name + ": output '" + o.name() + "' cannot be optional");
            }
            if (o.shards()) {
                throw new IllegalArgumentException("step " + name + ": output '" + o.name() + "' cannot be a shards input; a step writes one artifact");
            }
        }
        // Fields are assigned after this body, so the check takes the (normalised) components.
        checkReports(name, inputs, outputs, parameters, outputParameters, reports);
    }

    /**
     * A report becomes a KFP output artifact beside the outputs and {@value StepCli#KFP_METRICS_OUTPUT};
     * a name shared with any other of the step's names would make the KFP UI list two things alike.
     */
    private static void checkReports(String name, List<ArtifactPort> inputs, List<ArtifactPort> outputs, List<ParameterSpec> parameters,
            List<OutputParameter> outputParameters, List<ReportFile> reports) {
        Map<String, String> taken = new HashMap<>();
        inputs.forEach(p -> taken.put(p.name(), "an input"));
        outputs.forEach(p -> taken.put(p.name(), "an output"));
        parameters.forEach(p -> taken.put(p.name(), "a parameter"));
        outputParameters.forEach(p -> taken.put(p.name(), "an output parameter"));
        taken.put(StepCli.KFP_METRICS_OUTPUT, "the KFP metrics output");
        for (ReportFile r : reports) {
            String other = taken.putIfAbsent(r.name(), "a report");
            if ("a report".equals(other)) {
                throw new IllegalArgumentException("step " + name + ": report '" + r.name() + "' is declared twice");
            }
            if (other != null) {
                throw new IllegalArgumentException("step " + name + ": report '" + r.name() + "' has the name of " + other
                        + "; give it its own name");
            }
            if (outputs.stream().noneMatch(o -> o.name().equals(r.outputPort()))) {
                throw new IllegalArgumentException("step " + name + ": report '" + r.name() + "' is read from output '" + r.outputPort()
                        + "', which the step does not declare; outputs: " + outputs.stream().map(ArtifactPort::name).toList());
            }
        }
    }

    static void requireName(String what, String name) {
        if (name == null || !SNAKE.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name: expected snake_case like kl_target, got '" + name + "'");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<ArtifactPort> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<ArtifactPort> output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Builds a definition in the order a reader expects: inputs, outputs, parameters. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private final List<ArtifactPort> inputs = new ArrayList<>();
        private final List<ArtifactPort> outputs = new ArrayList<>();
        private final List<ParameterSpec> parameters = new ArrayList<>();
        private final List<OutputParameter> outputParameters = new ArrayList<>();
        private final List<ReportFile> reports = new ArrayList<>();
        private boolean metrics;
        private boolean stochastic;
        private Resources resources = Resources.cpu("1", "2Gi");

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String d) {
            description = d;
            return this;
        }

        public Builder input(ArtifactPort p) {
            inputs.add(p);
            return this;
        }

        public Builder output(ArtifactPort p) {
            outputs.add(p);
            return this;
        }

        public Builder parameter(ParameterSpec p) {
            parameters.add(p);
            return this;
        }

        public Builder outputParameter(String name, ParamType type, String description) {
            outputParameters.add(new OutputParameter(name, type, description));
            return this;
        }

        /** An output parameter the step reports only sometimes (see {@link OutputParameter#optional()}). */
        public Builder optionalOutputParameter(String name, ParamType type, String description) {
            outputParameters.add(new OutputParameter(name, type, description, true));
            return this;
        }

        public Builder reportsMetrics() {
            metrics = true;
            return this;
        }

        /** An HTML report the step writes as {@code file} in output {@code outputPort} (see {@link ReportFile}). */
        public Builder htmlReport(String name, String outputPort, String file) {
            reports.add(new ReportFile(name, ReportFile.Kind.HTML, outputPort, file));
            return this;
        }

        /** A Markdown report the step writes as {@code file} in output {@code outputPort} (see {@link ReportFile}). */
        public Builder markdownReport(String name, String outputPort, String file) {
            reports.add(new ReportFile(name, ReportFile.Kind.MARKDOWN, outputPort, file));
            return this;
        }

        public Builder stochastic() {
            stochastic = true;
            return this;
        }

        public Builder resources(Resources r) {
            resources = r;
            return this;
        }

        public StepDefinition build() {
            return new StepDefinition(name, description, inputs, outputs, parameters, outputParameters, metrics, reports, stochastic, resources);
        }
    }
}
