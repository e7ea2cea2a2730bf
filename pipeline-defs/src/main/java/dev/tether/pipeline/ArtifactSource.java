package dev.tether.pipeline;

/**
 * Where a task's input artifact comes from: an upstream task's output (or all of a fanned-out
 * task's shards of one output, or, inside a fan-out, the same shard's output), or an artifact given to the
 * pipeline when it is run (a directory for the local runner, a URI or an upstream artifact on a
 * cluster). Plain data, so a compiler renders it as {@code tasks.<t>.outputs.artifacts.<o>} or
 * {@code inputs.artifacts.<name>}.
 */
public sealed interface ArtifactSource {

    /** Output {@code output} of task {@code task}. */
    record TaskOutput(String task, String output) implements ArtifactSource {
        @Override
        public String toString() {
            return task + "." + output;
        }
    }

    /**
     * Output {@code output} of every shard of fanned-out task {@code task}, as one directory of
     * shard artifacts: the input of a step that merges them (a port declared
     * {@link dev.tether.step.ArtifactPort#asShards() as shards}).
     */
    record Shards(String task, String output) implements ArtifactSource {
        @Override
        public String toString() {
            return task + "." + output + " (every shard)";
        }
    }

    /**
     * Output {@code output} of the same shard of fanned-out task {@code task}, read by a task fanned
     * out alongside it (the same shard count): e.g. reward scoring shard k of a rollout. The two
     * form one loop body, which KFP renders as one ParallelFor and Argo and the local runner as
     * loops with the same shard index.
     */
    record SameShard(String task, String output) implements ArtifactSource {
        @Override
        public String toString() {
            return task + "." + output + " (the same shard)";
        }
    }

    /** The pipeline's input artifact {@code name}. */
    record PipelineInput(String name) implements ArtifactSource {
        @Override
        public String toString() {
            return "pipeline input " + name;
        }
    }

    static ArtifactSource output(String task, String output) {
        return new TaskOutput(task, output);
    }

    static ArtifactSource pipelineInput(String name) {
        return new PipelineInput(name);
    }
}
