package dev.tether.pipeline.toy;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;

/** Writes start, start+1, …: the toy pipeline's source. */
public final class MakeNumbersStep implements Step {
    public static final StepDefinition DEF = StepDefinition.builder("make-numbers")
            .description("Counts from start.")
            .output(Numbers.port("numbers", "count numbers from start"))
            .parameter(ParameterSpec.required("count", ParamType.INT, "How many numbers."))
            .parameter(ParameterSpec.optional("start", ParamType.DOUBLE, "1", "The first number."))
            .outputParameter("count", ParamType.INT, "How many numbers were written.")
            .build();

    @Override
    public StepDefinition definition() {
        return DEF;
    }

    @Override
    public void run(StepContext ctx) {
        int n = (int) ctx.integer("count");
        if (n < 1) {
            throw new IllegalArgumentException("count: expected ≥ 1, got " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (ctx.number("start") + i);
        }
        try (ArtifactWriter w = ctx.writer("numbers")) {
            Numbers.write(w, v);
        }
        ctx.outputParameter("count", (long) n);
    }
}
