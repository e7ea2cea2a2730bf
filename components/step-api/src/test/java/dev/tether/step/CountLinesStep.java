package dev.tether.step;

/** A registered step (META-INF/services in test resources), for {@link StepCatalogTest}. */
public final class CountLinesStep implements Step {
    static final StepDefinition DEF = StepDefinition.builder("count-lines").description("Counts lines.")
            .outputParameter("lines", ParamType.INT, "How many.").build();

    @Override
    public StepDefinition definition() {
        return DEF;
    }

    @Override
    public void run(StepContext ctx) {
        ctx.outputParameter("lines", 0L);
    }
}
