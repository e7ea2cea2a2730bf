package dev.tether.pipeline.toy;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.List;

/** Merges the shards of numbers of a fan-out, in shard order, scaled, and reports their total. */
public final class SumStep implements Step {
    public static final StepDefinition DEF = builder().build();

    static StepDefinition.Builder builder() {
        StepDefinition.Builder b = StepDefinition.builder("sum").description("Concatenates the shards, scaled, and sums them.");
        b.input(Numbers.port("parts", "every shard's numbers").asShards());
        return b.output(Numbers.port("merged", "all shards' numbers, scaled"))
                .parameter(ParameterSpec.optional("scale", ParamType.DOUBLE, "1", "Factor for every number."))
                .outputParameter("total", ParamType.DOUBLE, "Sum of the merged numbers.");
    }

    @Override
    public StepDefinition definition() {
        return DEF;
    }

    @Override
    public void run(StepContext ctx) {
        List<Float> all = new ArrayList<>();
        for (ArtifactReader part : ctx.shards("parts")) {
            for (float v : Numbers.read(part)) {
                all.add(v * (float) ctx.number("scale"));
            }
        }
        float[] merged = new float[all.size()];
        for (int i = 0; i < merged.length; i++) {
            merged[i] = all.get(i);
        }
        try (ArtifactWriter w = ctx.writer("merged")) {
            Numbers.write(w, merged);
        }
        ctx.outputParameter("total", Numbers.total(merged));
    }
}
