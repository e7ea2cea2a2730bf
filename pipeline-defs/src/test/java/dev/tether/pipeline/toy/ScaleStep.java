package dev.tether.pipeline.toy;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Sharding;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;

/**
 * Multiplies every number it is given — all of them, unlike add — so it can be the second step of
 * a loop body, as reward is after rollout: the shard parameters only label its output for a merge.
 */
public final class ScaleStep implements Step {
    public static final StepDefinition DEF = StepDefinition.builder("scale")
            .description("Multiplies each number by factor.")
            .input(Numbers.port("numbers", "numbers to scale"))
            .output(Numbers.port("scaled", "the numbers times factor"))
            .parameter(ParameterSpec.optional("factor", ParamType.DOUBLE, "10", "The factor."))
            .parameter(Sharding.parameters().get(0))
            .parameter(Sharding.parameters().get(1))
            .build();

    @Override
    public StepDefinition definition() {
        return DEF;
    }

    @Override
    public void run(StepContext ctx) {
        float[] v = Numbers.read(ctx.input("numbers"));
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) ctx.number("factor");
        }
        try (ArtifactWriter w = ctx.writer("scaled")) {
            Numbers.write(w, v);
        }
    }
}
