package dev.tether.pipeline.toy;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Sharding;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import dev.tether.step.StepGuardException;
import java.util.Arrays;

/**
 * Adds an amount to its shard of the numbers (contiguous rows). Fails on request, after writing
 * its output, so a test can see that the runner leaves nothing of a failed task behind.
 */
public final class AddStep implements Step {
    public static final StepDefinition DEF = StepDefinition.builder("add")
            .description("Adds amount to each number of this shard.")
            .input(Numbers.port("numbers", "numbers to add to"))
            .output(Numbers.port("sums", "this shard's numbers plus amount"))
            .parameter(ParameterSpec.optional("amount", ParamType.DOUBLE, "0", "What to add."))
            .parameter(Sharding.parameters().get(0))
            .parameter(Sharding.parameters().get(1))
            .parameter(ParameterSpec.optional("scale", ParamType.DOUBLE, "1", "Then multiplies each by it."))
            .parameter(ParameterSpec.choice("fail", "none", "Fail on purpose, in shard 1 only.", "none", "bad-input", "crash", "guard"))
            .outputParameter("total", ParamType.DOUBLE, "Sum of the output.")
            .outputParameter("max", ParamType.DOUBLE, "Largest output number.")
            .build();

    @Override
    public StepDefinition definition() {
        return DEF;
    }

    @Override
    public void run(StepContext ctx) {
        float[] in = Numbers.read(ctx.input("numbers"));
        long index = ctx.integer(Sharding.SHARD_INDEX);
        long count = ctx.integer(Sharding.NUM_SHARDS);
        int from = (int) (in.length * index / count);
        int to = (int) (in.length * (index + 1) / count);
        float[] out = Arrays.copyOfRange(in, from, to);
        for (int i = 0; i < out.length; i++) {
            out[i] = (out[i] + (float) ctx.number("amount")) * (float) ctx.number("scale");
        }
        try (ArtifactWriter w = ctx.writer("sums")) {
            Numbers.write(w, out);
        }
        switch (index == 1 ? ctx.string("fail") : "none") {
            case "bad-input" -> throw new IllegalArgumentException("numbers: expected something else, on purpose");
            case "crash" -> throw new IllegalStateException("crashed on purpose");
            case "guard" -> throw new StepGuardException("kl_seq 31.2 nats passed the budget of 20");
            default -> { }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float v : out) {
            max = Math.max(max, v);
        }
        ctx.outputParameter("total", Numbers.total(out));
        ctx.outputParameter("max", (double) max);
    }
}
