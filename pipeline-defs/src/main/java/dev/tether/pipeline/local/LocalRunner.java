package dev.tether.pipeline.local;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.step.ExitCode;
import dev.tether.step.Sharding;
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
 * under {@code <runs>/<run-id>/<task>/<output>/}. A fanned-out task runs once per shard, as many as
 * the run's value of its count says, shard k's outputs in {@code <task>/<output>/shard-<k>/}.
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
            String label = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, tasks.size(), task.name());
            List<TaskReport> runs = task.fannedOut() ? runShards(task, label, layout, args, digests, reported)
                    : List.of(runTask(task, null, label, layout, args, digests, reported));
            reports.addAll(runs);
            for (TaskReport r : runs) {
                if (r.status() == TaskReport.Status.FAILED && failed == null) {
                    failed = r;
                }
            }
            if (failed == null && !task.fannedOut()) {
                reported.put(task.name(), runs.get(0).outputParameters());
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

    /**
     * Runs a fanned-out task once per shard, as many as this run's count says, one after another;
     * shards beyond that count, left by a run with more, are removed first, so the directory of
     * shards a merge reads holds exactly this run's.
     */
    private List<TaskReport> runShards(Task task, String label, RunLayout layout, RunArguments args, DigestCache digests,
            Map<String, Map<String, Object>> reported) {
        long count;
        try {
            count = TaskWiring.shardCount(task, args);
            removeShardsFrom(task, count, layout, digests);
        } catch (TaskFailure f) {
            out.printf(Locale.ROOT, "%s FAILED (exit %d): %s%n", label, f.exitCode(), f.getMessage());
            return List.of(new TaskReport(task.name(), TaskReport.Status.FAILED, 0, Map.of(), f.exitCode(), f.getMessage()));
        } catch (IOException | RuntimeException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            out.printf(Locale.ROOT, "%s FAILED (exit %d): %s%n", label, ExitCode.FAILED, message);
            return List.of(new TaskReport(task.name(), TaskReport.Status.FAILED, 0, Map.of(), ExitCode.FAILED, message));
        }
        List<TaskReport> reports = new ArrayList<>();
        for (long k = 0; k < count; k++) {
            TaskReport r = runTask(task, k, label + " " + Sharding.shardDir(k) + " of " + count, layout, args, digests, reported);
            reports.add(r);
            if (r.status() == TaskReport.Status.FAILED) {
                break;
            }
        }
        return reports;
    }

    private void removeShardsFrom(Task task, long count, RunLayout layout, DigestCache digests) throws IOException {
        Path dir = layout.taskDir(task.name());
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> stale = new ArrayList<>();
        for (var port : task.step().outputs()) {
            Path outputs = layout.output(task.name(), port.name());
            if (Files.isDirectory(outputs)) {
                try (var s = Files.list(outputs)) {
                    s.filter(p -> shardNumber(p.getFileName().toString(), "") >= count).forEach(stale::add);
                }
            }
        }
        try (var s = Files.list(dir)) {
            s.filter(p -> shardNumber(p.getFileName().toString(), "." + RunLayout.RECORD) >= count).forEach(stale::add);
        }
        for (Path p : stale) {
            clear(p, digests);
        }
    }

    /** k for a name {@code shard-<k><suffix>}, else -1. */
    private static long shardNumber(String name, String suffix) {
        if (!name.startsWith(Sharding.SHARD_DIR_PREFIX) || !name.endsWith(suffix)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(Sharding.SHARD_DIR_PREFIX.length(), name.length() - suffix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Runs a task, or one shard of a fanned-out task ({@code shard} not null). */
    private TaskReport runTask(Task task, Long shard, String label, RunLayout layout, RunArguments args, DigestCache digests,
            Map<String, Map<String, Object>> reported) {
        long start = System.nanoTime();
        String name = shard == null ? task.name() : task.name() + "/" + Sharding.shardDir(shard);
        // What this run owns: the whole task folder, or one shard's outputs and record.
        List<Path> owned = shard == null ? List.of(layout.taskDir(task.name())) : List.of();
        try {
            TaskWiring wiring = TaskWiring.of(task, shard, layout, args, reported);
            if (shard != null) {
                owned = wiring.owned();
            }
            ResumeCheck.Decision decision = ResumeCheck.check(wiring, layout, digests);
            if (decision.isCached()) {
                out.println(label + " cached");
                return new TaskReport(name, TaskReport.Status.CACHED, 0, declaredOrder(task, decision.cached().outputParameters()), 0,
                        null);
            }
            out.println(label + " running" + (decision.reason() == null ? "" : " (" + decision.reason() + ")"));
            // Whatever an earlier attempt left goes first: a failure must leave nothing behind.
            clear(owned, digests);
            Files.createDirectories(layout.taskDir(task.name()));
            long stepStart = System.nanoTime();
            StepRunner.Result result = executor.execute(wiring.call(log, terminal));
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            record(task, wiring, result, seconds, digests);
            String values = SummaryTable.values(result.outputParameters());
            out.println(label + " done in " + SummaryTable.seconds(seconds) + (values.isEmpty() ? "" : "  " + values));
            return new TaskReport(name, TaskReport.Status.DONE, seconds, declaredOrder(task, result.outputParameters()), 0, null);
        } catch (TaskFailure f) {
            return failed(name, label, owned, digests, start, f.exitCode(), f.getMessage());
        } catch (IOException | RuntimeException e) {
            return failed(name, label, owned, digests, start, ExitCode.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    // outputs.json goes last: its presence says every output was committed.
    private static void record(Task task, TaskWiring wiring, StepRunner.Result result, double seconds, DigestCache digests)
            throws TaskFailure {
        Map<String, String> inputDigests = digests.inputDigests(task.step(), wiring.inputs());
        try {
            new TaskRecord(task.step().name(), inputDigests, wiring.typedParameters(), result.outputParameters(), result.metrics(), seconds)
                    .write(wiring.record());
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

    private TaskReport failed(String name, String label, List<Path> owned, DigestCache digests, long start, int exitCode, String message) {
        clear(owned, digests);
        out.printf(Locale.ROOT, "%s FAILED (exit %d): %s%n", label, exitCode, message);
        return new TaskReport(name, TaskReport.Status.FAILED, (System.nanoTime() - start) / 1e9, Map.of(), exitCode, message);
    }

    private static void clear(List<Path> paths, DigestCache digests) {
        paths.forEach(p -> clear(p, digests));
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
