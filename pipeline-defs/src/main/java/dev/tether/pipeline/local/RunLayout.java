package dev.tether.pipeline.local;

import dev.tether.step.Sharding;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a run's files go: {@code <runs>/<run-id>/<task>/<output>/} for each output artifact,
 * {@code <runs>/<run-id>/<task>/outputs.json} for what the task reported, and
 * {@code <runs>/<run-id>/run.json} for the run itself. A fanned-out task's shard k writes
 * {@code <task>/<output>/shard-<k>/} and {@code <task>/shard-<k>.outputs.json}, so
 * {@code <task>/<output>/} is the directory of shards a merge step reads.
 */
record RunLayout(Path runDir) {
    static final String RECORD = "outputs.json";
    static final String RUN_RECORD = "run.json";
    // A folder name that cannot climb out of the runs directory or hide itself.
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static RunLayout of(Path runsDir, String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("--run-id: expected letters, digits, '.', '_' or '-' (starting with a letter or digit, at most 128), got '"
                    + runId + "'");
        }
        return new RunLayout(runsDir.resolve(runId).toAbsolutePath().normalize());
    }

    // Task names are DNS labels (checked when the pipeline is built), so they are safe folder names.
    Path taskDir(String task) {
        return runDir.resolve(task);
    }

    Path output(String task, String output) {
        return taskDir(task).resolve(output);
    }

    Path record(String task) {
        return taskDir(task).resolve(RECORD);
    }

    Path shardOutput(String task, String output, long shard) {
        return output(task, output).resolve(Sharding.shardDir(shard));
    }

    Path shardRecord(String task, long shard) {
        return taskDir(task).resolve(Sharding.shardDir(shard) + "." + RECORD);
    }

    Path runRecord() {
        return runDir.resolve(RUN_RECORD);
    }
}
