package dev.tether.pipeline.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a run did, task by task, in the order the tasks ran.
 *
 * @param runDir {@code <runs>/<run-id>}, absolute
 */
public record RunReport(String pipeline, String runId, Path runDir, List<TaskReport> tasks) {

    public RunReport {
        tasks = List.copyOf(tasks);
    }

    /** The task that stopped the run, if one failed. */
    public Optional<TaskReport> failure() {
        return tasks.stream().filter(t -> t.status() == TaskReport.Status.FAILED).findFirst();
    }

    /** 0 when every task succeeded or was cached, else the failed task's exit code. */
    public int exitCode() {
        return failure().map(TaskReport::exitCode).orElse(0);
    }

    public TaskReport task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task '" + name + "' in run " + runId));
    }

    /** Names of the tasks whose step was started in this run (done or failed). */
    public List<String> ran() {
        return tasks.stream().filter(t -> t.status() == TaskReport.Status.DONE || t.status() == TaskReport.Status.FAILED)
                .map(TaskReport::task).toList();
    }
}
