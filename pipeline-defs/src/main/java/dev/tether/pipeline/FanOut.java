package dev.tether.pipeline;

import java.util.List;

/**
 * The tasks of one fan-out, shard 0 first (see {@link PipelineBuilder#fanOut}).
 *
 * @param group the name the shard tasks were derived from: {@code <group>-<index>}
 */
public record FanOut(String group, List<String> tasks) {
    public FanOut {
        tasks = List.copyOf(tasks);
    }

    public int count() {
        return tasks.size();
    }

    /** Output {@code output} of every shard, shard 0 first. */
    public List<ArtifactSource> outputs(String output) {
        return tasks.stream().map(t -> ArtifactSource.output(t, output)).toList();
    }
}
