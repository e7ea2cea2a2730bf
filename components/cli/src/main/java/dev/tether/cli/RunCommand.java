package dev.tether.cli;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineCatalog;
import dev.tether.pipeline.local.LocalRunner;
import dev.tether.pipeline.local.PodmanExecutor;
import dev.tether.pipeline.local.RunReport;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParameterSpec;
import dev.tether.step.StepCatalog;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tether run <pipeline>}: a pipeline on this machine, resumable (see {@link LocalRunner}). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Runs a pipeline on this machine, each step in-process or in its image (--executor podman), artifacts in",
            "<runs-dir>/<run-id>/<task>/<output>/.",
            "Run the same command again to resume: tasks whose inputs and parameters are unchanged are not rerun."
        },
        footer = {"", "Exit codes: 0 done, 1 a task failed, 2 bad input or usage, 3 a guard stopped a task."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PIPELINE", description = "The pipeline to run (see --list).")
    String pipeline;

    @Option(names = "--list", description = "List the pipelines, with their parameters and inputs.")
    boolean list;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run folder name; reuse it to resume (default: the pipeline's name).")
    String runId;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs", description = "Where runs go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A pipeline parameter; repeat for more.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--input", paramLabel = "NAME=DIR", description = "A pipeline input artifact; repeat for more.")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--until", paramLabel = "TASK", split = ",",
            description = "Run only these tasks and what they need (repeat or comma-separate); a later run without it resumes.")
    Set<String> until = new LinkedHashSet<>();

    /** Where each step runs. */
    enum ExecutorKind { in_process, podman }

    @Option(names = "--executor", paramLabel = "KIND", defaultValue = "in_process",
            description = "in_process (default): each step in this JVM; podman: each step in its container image, as a cluster runs it "
                    + "(images <registry>/tether-<module>:<tag>, see containers/README.md).")
    ExecutorKind executor;

    @Option(names = "--registry", paramLabel = "REGISTRY", defaultValue = "localhost",
            description = "With --executor podman: the images' registry (default: ${DEFAULT-VALUE}, images loaded from Jib's tarballs).")
    String registry;

    @Option(names = "--tag", paramLabel = "TAG", description = "With --executor podman: the images' tag (default: this build's version).")
    String tag;

    @Override
    public Integer call() {
        PipelineCatalog catalog = PipelineCatalog.load();
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            if (catalog.names().isEmpty()) {
                out.println("no pipelines are registered (a module lists its providers in META-INF/services/dev.tether.pipeline.PipelineProvider)");
            }
            catalog.pipelines().forEach(p -> describe(out, p));
            out.flush();
            return 0;
        }
        if (pipeline == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "which pipeline? known: " + String.join(", ", catalog.names()));
        }
        Pipeline p = catalog.get(pipeline);
        PrintStream stdout = WriterStream.of(out);
        PrintStream stderr = WriterStream.of(spec.commandLine().getErr());
        boolean terminal = System.console() != null;
        LocalRunner runner;
        if (executor == ExecutorKind.podman) {
            PodmanExecutor.Settings settings = PodmanExecutor.Settings.defaults().withRegistry(registry);
            runner = new LocalRunner(PodmanExecutor.forPipeline(p, tag == null ? settings : settings.withTag(tag)), runsDir, stdout, stderr,
                    terminal);
        } else {
            runner = LocalRunner.inProcess(StepCatalog.load(), runsDir, stdout, stderr, terminal);
        }
        RunReport report = runner.run(p, runId != null ? runId : p.name(), parameters, inputs, until);
        report.failure().ifPresent(f -> stderr.printf("tether run: task %s failed (exit %d): %s%n", f.task(), f.exitCode(), f.message()));
        return report.exitCode();
    }

    private static void describe(PrintWriter out, Pipeline p) {
        out.printf("%s  %s (%d tasks)%n", p.name(), p.description(), p.tasks().size());
        for (ParameterSpec s : p.parameters()) {
            out.printf("  --set %s=%s  %s%s%n", s.name(), s.type(), s.description(), s.isRequired() ? " (required)" : " (default: " + s.defaultValue() + ")");
        }
        for (ArtifactPort in : p.inputs()) {
            out.printf("  --input %s=DIR  %s (a %s artifact%s)%n", in.name(), in.description(), in.schema(), in.optional() ? ", optional" : "");
        }
    }
}
