package dev.tether.pipeline.local;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.step.ExitCode;
import dev.tether.step.StepCatalog;
import dev.tether.step.StepRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a pipeline on this machine, one task at a time in dependency order, each task's outputs
 * under {@code <runs>/<run-id>/<task>/<output>/}.
 *
 * <p>Resumable: a task whose earlier results still match what it would get now — same input
 * digests, same parameters (see {@link ResumeCheck}) — is not run again, so rerunning a killed run
 * continues where it stopped, and changing a parameter reruns only what it reaches.
 *
 * <p>The first task that fails stops the run; its folder is removed, so nothing it half-made is
 * left for a later run to trust.
 */
public final class LocalRunner {
    private final Executor executor;
    private final Path runsDir;
    private final PrintStream out;
    private final PrintStream log;
    private final boolean terminal;

    /**
     * @param out where the runner's lines and the summary go
     * @param log where the steps' own progress goes
     * @param terminal whether {@code log} is a terminal
     */
    public LocalRunner(Executor executor, Path runsDir, PrintStream out, PrintStream log, boolean terminal) {
        this.executor = executor;
        this.runsDir = runsDir;
        this.out = out;
        this.log = log;
        this.terminal = terminal;
    }

    /** Steps called in this JVM, found by name in {@code steps}. */
    public static LocalRunner inProcess(StepCatalog steps, Path runsDir, PrintStream out, PrintStream log, boolean terminal) {
        return new LocalRunner(new InProcessExecutor(steps), runsDir, out, log, terminal);
    }

    /**
     * Runs (or resumes) {@code pipeline} as run {@code runId}.
     *
     * @param parameters pipeline parameter values as text; the others take their defaults
     * @param inputs pipeline input artifacts by name, as directories
     * @throws IllegalArgumentException before any task runs, for a bad run id, parameter or input
     */
    public RunReport run(Pipeline pipeline, String runId, Map<String, String> parameters, Map<String, Path> inputs) {
        return run(pipeline, runId, parameters, inputs, Set.of());
    }

    /**
     * Runs only {@code until} and what it needs: the named tasks and everything upstream of them
     * (all tasks when empty); the others are reported {@link TaskReport.Status#SKIPPED}. A later run
     * without it resumes from there.
     *
     * @throws IllegalArgumentException before any task runs, also for a name that is not a task
     */
    public RunReport run(Pipeline pipeline, String runId, Map<String, String> parameters, Map<String, Path> inputs, Set<String> until) {
        RunLayout layout = RunLayout.of(runsDir, runId);
        RunArguments args = RunArguments.resolve(pipeline, parameters, inputs);
        Set<String> selected = until.isEmpty() ? null : pipeline.upstreamOf(until);
        try (RunLock lock = RunLock.acquire(layout)) {
            RunRecord.claim(layout, pipeline, args);
            return runTasks(pipeline, runId, layout, args, selected);
        }
    }

    private RunReport runTasks(Pipeline pipeline, String runId, RunLayout layout, RunArguments args, Set<String> selected) {
        List<Task> tasks = pipeline.tasks().stream().filter(t -> selected == null || selected.contains(t.name())).toList();
        out.printf(Locale.ROOT, "tether run %s: %d tasks%s, run %s in %s%n", pipeline.name(), tasks.size(),
                selected == null ? "" : " of " + pipeline.tasks().size() + " (--until " + String.join(", ", selected.stream()
                        .filter(n -> pipeline.downstream(n).stream().noneMatch(selected::contains)).toList()) + ")",
                runId, layout.runDir());
        DigestCache digests = new DigestCache();
        Map<String, Map<String, Object>> reported = new HashMap<>();
        List<TaskReport> reports = new ArrayList<>();
        TaskReport failed = null;
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            if (failed != null) {
                reports.add(new TaskReport(task.name(), TaskReport.Status.NOT_RUN, 0, Map.of(), 0, null));
                continue;
            }
            TaskReport r = runTask(task, String.format(Locale.ROOT, "[%d/%d] %s", i + 1, tasks.size(), task.name()), layout, args,
                    digests, reported);
            reports.add(r);
            if (r.status() == TaskReport.Status.FAILED) {
                failed = r;
            } else {
                reported.put(task.name(), r.outputParameters());
            }
        }
        if (selected != null) {
            pipeline.tasks().stream().filter(t -> !selected.contains(t.name()))
                    .forEach(t -> reports.add(new TaskReport(t.name(), TaskReport.Status.SKIPPED, 0, Map.of(), 0, null)));
        }
        RunReport report = new RunReport(pipeline.name(), runId, layout.runDir(), reports);
        SummaryTable.print(out, report);
        return report;
    }

    private TaskReport runTask(Task task, String label, RunLayout layout, RunArguments args, DigestCache digests,
            Map<String, Map<String, Object>> reported) {
        long start = System.nanoTime();
        Path dir = layout.taskDir(task.name());
        try {
            TaskWiring wiring = TaskWiring.of(task, layout, args, reported);
            ResumeCheck.Decision decision = ResumeCheck.check(wiring, layout, digests);
            if (decision.isCached()) {
                out.println(label + " cached");
                return new TaskReport(task.name(), TaskReport.Status.CACHED, 0, declaredOrder(task, decision.cached().outputParameters()), 0,
                        null);
            }
            out.println(label + " running" + (decision.reason() == null ? "" : " (" + decision.reason() + ")"));
            // Whatever an earlier attempt left goes first: a failure must leave nothing behind.
            clear(dir, digests);
            Files.createDirectories(dir);
            long stepStart = System.nanoTime();
            StepRunner.Result result = executor.execute(wiring.call(log, terminal));
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            record(task, wiring, result, seconds, layout, digests);
            String values = SummaryTable.values(result.outputParameters());
            out.println(label + " done in " + SummaryTable.seconds(seconds) + (values.isEmpty() ? "" : "  " + values));
            return new TaskReport(task.name(), TaskReport.Status.DONE, seconds, declaredOrder(task, result.outputParameters()), 0, null);
        } catch (TaskFailure f) {
            return failed(task, label, dir, digests, start, f.exitCode(), f.getMessage());
        } catch (IOException | RuntimeException e) {
            return failed(task, label, dir, digests, start, ExitCode.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    // outputs.json goes last: its presence says every output was committed.
    private static void record(Task task, TaskWiring wiring, StepRunner.Result result, double seconds, RunLayout layout, DigestCache digests)
            throws TaskFailure {
        Map<String, String> inputDigests = new HashMap<>();
        wiring.inputs().forEach((port, path) -> inputDigests.put(port, digests.digest(path, task.step().input(port).orElseThrow())));
        try {
            new TaskRecord(task.step().name(), inputDigests, wiring.typedParameters(), result.outputParameters(), result.metrics(), seconds)
                    .write(layout.record(task.name()));
        } catch (ArtifactException | NullPointerException e) {
            // A null, NaN or infinite reported value: Argo and KFP would refuse it too.
            throw new TaskFailure(ExitCode.of(e), "step " + task.step().name() + " reported a value that cannot be recorded: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> declaredOrder(Task task, Map<String, Object> values) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        task.step().outputParameters().forEach(p -> ordered.put(p.name(), values.get(p.name())));
        return ordered;
    }

    private TaskReport failed(Task task, String label, Path dir, DigestCache digests, long start, int exitCode, String message) {
        clear(dir, digests);
        out.printf(Locale.ROOT, "%s FAILED (exit %d): %s%n", label, exitCode, message);
        return new TaskReport(task.name(), TaskReport.Status.FAILED, (System.nanoTime() - start) / 1e9, Map.of(), exitCode, message);
    }

    private static void clear(Path dir, DigestCache digests) {
        digests.forgetUnder(dir);
        try {
            if (Files.exists(dir)) {
                AtomicFiles.deleteRecursively(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot remove an earlier attempt's files: " + e, e);
        }
    }
}
