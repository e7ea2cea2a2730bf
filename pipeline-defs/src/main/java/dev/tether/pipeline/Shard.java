package dev.tether.pipeline;

/**
 * Marks a task as shard {@code index} of {@code count} of fan-out {@code group} (see
 * {@link PipelineBuilder#fanOut}). The tasks are complete without it; a compiler may use it to
 * render the group as one ParallelFor / withParam loop, and the runner to label its lines.
 */
public record Shard(String group, int index, int count) {
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard of " + group + ": expected 0 ≤ index < count, got " + index + " of " + count);
        }
    }
}
