package dev.tether.step;

import dev.tether.core.TetherVersion;
import dev.tether.core.outputs.KfpExecutorInput;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A step's command line, derived from its definition: {@code --<input> DIR}, {@code --<output> DIR},
 * {@code --<parameter> VALUE} (snake_case, with a kebab-case alias), and where finished values go:
 * {@code --argo-outputs DIR} and/or {@code --kfp-executor-input JSON}. This is the container
 * entrypoint's whole interface, and what {@code tether step} runs.
 */
public final class StepCli {
    /** The name of the KFP {@code system.Metrics} output of steps that report metrics. */
    public static final String KFP_METRICS_OUTPUT = "metrics";
    public static final String ARGO_OUTPUTS = "--argo-outputs";
    public static final String KFP_EXECUTOR_INPUT = "--kfp-executor-input";

    private StepCli() {}

    /** The picocli model of the step's command line (also used to render --help). */
    public static CommandSpec spec(StepDefinition def) {
        CommandSpec spec = CommandSpec.create().name(def.name()).mixinStandardHelpOptions(true)
                .version("tether " + TetherVersion.get());
        spec.usageMessage().description(def.description()).sortOptions(false)
                .footer("", "Exit codes: 0 done, 1 failed, 2 bad input, 3 stopped by a guard (KL budget, non-finite numbers).");
        for (ArtifactPort in : def.inputs()) {
            spec.addOption(option(in.name(), "DIR",
                    describe(in.description(), (in.shards() ? "a directory of " + in.schema() + " shards, one artifact per subdirectory" : "input artifact " + in.schema())
                            + (in.optional() ? ", optional" : ""))));
        }
        for (ArtifactPort out : def.outputs()) {
            spec.addOption(option(out.name(), "DIR", describe(out.description(), "output artifact " + out.schema())));
        }
        for (ParameterSpec p : def.parameters()) {
            String kind = p.choices().isEmpty() ? p.type().name().toLowerCase() : String.join("|", p.choices());
            spec.addOption(option(p.name(), kind.toUpperCase(),
                    describe(p.description(), p.isRequired() ? "required" : "default: " + p.defaultValue())));
        }
        spec.addOption(OptionSpec.builder(ARGO_OUTPUTS).paramLabel("DIR").type(Path.class)
                .description("Write the output parameters " + outputNames(def) + " here, one file each (Argo's valueFrom.path).").build());
        spec.addOption(OptionSpec.builder(KFP_EXECUTOR_INPUT).paramLabel("JSON").type(String.class)
                .description("Kubeflow Pipelines' executor input ({{$}}); output parameters, metrics and reports go where KFP reads them.").build());
        return spec;
    }

    /** Parses, runs and maps the outcome to an exit code; errors are one line on {@code err}. */
    public static int execute(Step step, String[] args, PrintStream out, PrintStream err) {
        EngineThreads.applyDefaults();
        StepDefinition def = step.definition();
        CommandLine cli = new CommandLine(spec(def));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("tether " + def.name() + ": " + e.getMessage() + " (see --help)");
            return ExitCode.BAD_INPUT;
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return ExitCode.OK;
        }
        try {
            StepRunner.run(step, invocation(def, parsed, err));
            return ExitCode.OK;
        } catch (Exception | Error e) {
            int code = ExitCode.of(e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("tether " + def.name() + ": " + (code == ExitCode.FAILED ? "failed: " + e.getClass().getSimpleName() + ": " : "")
                    + message.lines().findFirst().orElse(""));
            if (System.getenv("TETHER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return code;
        }
    }

    private static StepRunner.Invocation invocation(StepDefinition def, ParseResult parsed, PrintStream log) {
        Map<String, Path> inputs = new LinkedHashMap<>();
        Map<String, Path> outputs = new LinkedHashMap<>();
        Map<String, String> params = new LinkedHashMap<>();
        def.inputs().forEach(p -> value(parsed, p.name()).ifPresent(v -> inputs.put(p.name(), Path.of(v))));
        def.outputs().forEach(p -> value(parsed, p.name()).ifPresent(v -> outputs.put(p.name(), Path.of(v))));
        def.parameters().forEach(p -> value(parsed, p.name()).ifPresent(v -> params.put(p.name(), v)));
        List<OutputSink> sinks = new ArrayList<>();
        if (parsed.hasMatchedOption(ARGO_OUTPUTS)) {
            sinks.add(OutputSink.argo(parsed.matchedOptionValue(ARGO_OUTPUTS, (Path) null)));
        }
        if (parsed.hasMatchedOption(KFP_EXECUTOR_INPUT)) {
            KfpExecutorInput executorInput = KfpExecutorInput.parse(parsed.matchedOptionValue(KFP_EXECUTOR_INPUT, ""));
            sinks.add(OutputSink.kfp(executorInput));
            for (ArtifactPort p : def.inputs()) {
                if (p.shards() && !inputs.containsKey(p.name())) {
                    shardsFromKfp(p, executorInput).ifPresent(dir -> inputs.put(p.name(), dir));
                }
            }
        }
        return new StepRunner.Invocation(inputs, outputs, params, sinks, log, System.console() != null);
    }

    /**
     * A list input in KFP has no path placeholder (one path cannot name several artifacts), so the
     * shards are found in the executor input and linked into one directory under /tmp, the form the
     * step reads in every engine. Their order there does not matter: {@link Sharding#open} orders
     * them by the shard index their manifests record.
     */
    private static Optional<Path> shardsFromKfp(ArtifactPort port, KfpExecutorInput executorInput) {
        List<KfpExecutorInput.RuntimeArtifact> given = executorInput.inputArtifacts(port.name());
        if (given.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path dir = Files.createTempDirectory("tether-" + port.name() + "-");
            for (int i = 0; i < given.size(); i++) {
                Files.createSymbolicLink(dir.resolve("item-" + i), given.get(i).localPath());
            }
            return Optional.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("input " + port.name() + ": cannot link its " + given.size() + " KFP artifacts under /tmp: " + e, e);
        }
    }

    private static Optional<String> value(ParseResult parsed, String name) {
        return parsed.hasMatchedOption("--" + name)
                ? Optional.of(parsed.matchedOptionValue("--" + name, ""))
                : Optional.empty();
    }

    private static OptionSpec option(String name, String label, String description) {
        String kebab = name.replace('_', '-');
        String[] names = kebab.equals(name) ? new String[] {"--" + name} : new String[] {"--" + name, "--" + kebab};
        // Required-ness is checked by StepRunner, so the message is the same in-process and on the CLI.
        return OptionSpec.builder(names).paramLabel(label).type(String.class).description(description).build();
    }

    private static String describe(String text, String note) {
        return (text == null || text.isBlank() ? "" : text + " ") + "(" + note + ")";
    }

    private static List<String> outputNames(StepDefinition def) {
        return def.outputParameters().stream().map(OutputParameter::name).toList();
    }
}
