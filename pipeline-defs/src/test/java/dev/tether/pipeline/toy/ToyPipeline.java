package dev.tether.pipeline.toy;

import static dev.tether.pipeline.ParameterSource.pipelineParameter;

import dev.tether.pipeline.ArtifactSource;
import dev.tether.pipeline.ParameterSource;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineBuilder;
import dev.tether.pipeline.PipelineProvider;
import dev.tether.pipeline.TaskBuilder;
import dev.tether.step.ParamType;

/**
 * The toy pipeline, shaped like RLHF: a source, a fan-out over the run's {@code shards} (3 by
 * default) merged by one task, then a loop unrolled to 2 iterations where iteration 1 reads
 * iteration 0's numbers and its reported max, and a final scaling. With the defaults (count 6,
 * shards 3, offset 0, bonus 1):
 * <pre>
 * make-numbers   1 2 3 4 5 6
 * add/shard-0..2 1 2 | 3 4 | 5 6            (+ offset)
 * merge          1 2 3 4 5 6                total 21
 * iter-0         2 3 4 5 6 7                (+ bonus)   max 7
 * iter-1         9 10 11 12 13 14           (+ iter-0's max)
 * total          18 20 22 24 26 28          (× 2)       total 138
 * </pre>
 */
public final class ToyPipeline implements PipelineProvider {
    public static final String NAME = "toy";

    private record Carry(ArtifactSource numbers, ParameterSource amount) {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A fan-out whose loop body is two tasks, shaped like rollout → reward: add's shard k, then
     * scale on add's shard k; both merged. With count 6 and the run's {@code shards} (2 by default):
     * add/shard-0 1 2 3 | shard-1 4 5 6, scale ×10, merge of scale 10 … 60, merge of add 1 … 6.
     */
    public static Pipeline twoStepBody() {
        PipelineBuilder p = Pipeline.builder("toy-body")
                .parameter("shards", ParamType.INT, "2", "How many shards the body fans out over.");
        TaskBuilder make = p.task("make-numbers", MakeNumbersStep.DEF).set("count", 6);
        TaskBuilder add = p.fanOut("add", AddStep.DEF, pipelineParameter("shards"), t -> t.input("numbers", make.output("numbers")));
        TaskBuilder scale = p.fanOut("scale", ScaleStep.DEF, pipelineParameter("shards"), t -> t.input("numbers", add.sameShard("sums")));
        p.task("merge-added", SumStep.DEF).input("parts", add.shards("sums"));
        p.task("merge-scaled", SumStep.DEF).input("parts", scale.shards("scaled"));
        return p.build();
    }

    @Override
    public Pipeline pipeline() {
        PipelineBuilder p = Pipeline.builder(NAME)
                .description("Toy numbers through a fan-out, a merge and an unrolled loop.")
                .parameter("count", ParamType.INT, "6", "How many numbers.")
                .parameter("shards", ParamType.INT, "3", "How many shards add fans out over.")
                .parameter("offset", ParamType.DOUBLE, "0", "Added by every shard.")
                .parameter("bonus", ParamType.DOUBLE, "1", "Added by the first loop iteration.")
                .parameter("fail", ParamType.STRING, "none", "Makes shard 1 of add fail: none, bad-input, crash or guard.");

        TaskBuilder make = p.task("make-numbers", MakeNumbersStep.DEF).parameter("count", pipelineParameter("count"));
        TaskBuilder add = p.fanOut("add", AddStep.DEF, pipelineParameter("shards"), t -> t.input("numbers", make.output("numbers"))
                .parameter("amount", pipelineParameter("offset")).parameter("fail", pipelineParameter("fail")));
        TaskBuilder merge = p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));

        // The loop carries what the next iteration reads: the numbers and the amount to add.
        Carry end = p.unroll(2, new Carry(merge.output("merged"), pipelineParameter("bonus")), (i, carried) -> {
            TaskBuilder it = p.task("iter-" + i, AddStep.DEF).input("numbers", carried.numbers()).parameter("amount", carried.amount());
            return new Carry(it.output("sums"), it.outputParameter("max"));
        });
        p.task("total", AddStep.DEF).input("numbers", end.numbers()).set("scale", 2);
        return p.build();
    }
}
