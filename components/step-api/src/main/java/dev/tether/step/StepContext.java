package dev.tether.step;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a running step sees: its opened, verified inputs, its typed parameters, writers for its
 * outputs that already carry the provenance (input digests, parameters, seed), and places to report
 * output parameters, metrics and progress.
 */
public final class StepContext {
    private final StepDefinition definition;
    private final Map<String, ArtifactReader> inputs;
    private final Map<String, List<ArtifactReader>> shards;
    private final Map<String, Path> outputs;
    private final Map<String, Object> parameters;
    private final PrintStream log;
    private final boolean terminal;
    private final Map<String, Object> reported = new LinkedHashMap<>();
    private final Map<String, Double> metrics = new TreeMap<>();

    StepContext(StepDefinition definition, Map<String, ArtifactReader> inputs, Map<String, List<ArtifactReader>> shards,
            Map<String, Path> outputs, Map<String, Object> parameters, PrintStream log, boolean terminal) {
        this.definition = definition;
        this.inputs = inputs;
        this.shards = shards;
        this.outputs = outputs;
        this.parameters = parameters;
        this.log = log;
        this.terminal = terminal;
    }

    public StepDefinition definition() {
        return definition;
    }

    /** A required input, opened and verified against its manifest. */
    public ArtifactReader input(String name) {
        ArtifactReader r = inputs.get(name);
        if (r == null) {
            declared(definition.input(name).filter(p -> !p.shards()).isPresent(), "input", name);
            throw new IllegalArgumentException("input " + name + " was not given (--" + name + ")");
        }
        return r;
    }

    /**
     * A required input declared {@link ArtifactPort#asShards() as shards}: every shard, opened and
     * verified, in shard order (see {@link Sharding#open}).
     */
    public List<ArtifactReader> shards(String name) {
        List<ArtifactReader> r = shards.get(name);
        if (r == null) {
            declared(definition.input(name).filter(ArtifactPort::shards).isPresent(), "shards input", name);
            throw new IllegalArgumentException("input " + name + " was not given (--" + name + " DIR, a directory of shards)");
        }
        return r;
    }

    public Optional<ArtifactReader> optionalInput(String name) {
        declared(definition.input(name).isPresent(), "input", name);
        return Optional.ofNullable(inputs.get(name));
    }

    /** Where output {@code name} goes; prefer {@link #writer}, which writes it atomically with a manifest. */
    public Path outputPath(String name) {
        declared(outputs.containsKey(name), "output", name);
        return outputs.get(name);
    }

    /**
     * A writer for output {@code name} with its schema, this step as producer, the digests of every
     * input and all parameters already recorded — the provenance a consumer checks.
     */
    public ArtifactWriter writer(String name) {
        ArtifactPort port = definition.output(name).orElseThrow(() -> undeclared("output", name));
        ArtifactWriter w = ArtifactWriter.create(outputs.get(name), port.schema(), port.schemaVersion(), definition.name());
        inputs.forEach((n, r) -> w.input(n, r.digest()));
        shards.forEach((n, list) -> {
            for (int i = 0; i < list.size(); i++) {
                w.input(Sharding.provenanceName(n, i), list.get(i).digest());
            }
        });
        w.parameters(parameters);
        if (parameters.get("seed") instanceof Number seed) {
            w.seed(seed.longValue());
        }
        return w;
    }

    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public String string(String name) {
        return (String) parameter(name, ParamType.STRING);
    }

    public long integer(String name) {
        return (Long) parameter(name, ParamType.INT);
    }

    public double number(String name) {
        return (Double) parameter(name, ParamType.DOUBLE);
    }

    public boolean flag(String name) {
        return (Boolean) parameter(name, ParamType.BOOL);
    }

    /** The {@code seed} parameter: every random choice of a step derives from it. */
    public long seed() {
        return integer("seed");
    }

    /** Reports a declared output parameter (kl, reward, beta, …). */
    public void outputParameter(String name, Object value) {
        declared(definition.outputParameters().stream().anyMatch(o -> o.name().equals(name)), "output parameter", name);
        reported.put(name, value);
    }

    /** Scalar metrics for the KFP UI and metrics.json; non-finite values are refused when written. */
    public void metric(String name, double value) {
        metrics.put(name, value);
    }

    public void metrics(Map<String, ? extends Number> values) {
        values.forEach((k, v) -> metrics.put(k, v.doubleValue()));
    }

    public Progress progress(String label, long total) {
        return new Progress(definition.name() + ": " + label, total, log, terminal);
    }

    public PrintStream log() {
        return log;
    }

    Map<String, Object> reportedOutputParameters() {
        return reported;
    }

    Map<String, Double> reportedMetrics() {
        return metrics;
    }

    private Object parameter(String name, ParamType type) {
        ParameterSpec spec = definition.parameter(name).orElseThrow(() -> undeclared("parameter", name));
        if (spec.type() != type) {
            throw new IllegalStateException("step " + definition.name() + " reads parameter " + name + " as " + type + " but declares it " + spec.type());
        }
        return parameters.get(name);
    }

    private void declared(boolean ok, String what, String name) {
        if (!ok) {
            throw undeclared(what, name);
        }
    }

    private IllegalStateException undeclared(String what, String name) {
        // A programming error in the step, not bad user input: exit 1, not 2.
        return new IllegalStateException("step " + definition.name() + " uses " + what + " '" + name + "' that its definition does not declare");
    }
}
