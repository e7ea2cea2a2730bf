package dev.tether.cli.hello;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.nio.file.Files;
import java.util.Optional;

/** Writes "<prefix> <name>" (the prefix from an optional input), for the command-line tests. */
public final class GreetStep implements Step {
    public static final String SCHEMA = "tether.test-text";
    public static final String FILE = "text.txt";

    public static final StepDefinition DEF = StepDefinition.builder("greet")
            .description("Greets someone.")
            .input(ArtifactPort.of("prefix", SCHEMA, ArtifactKind.DATASET, "What to start with (default: hello).").asOptional())
            .output(ArtifactPort.of("greeting", SCHEMA, ArtifactKind.DATASET, "The greeting."))
            .parameter(ParameterSpec.required("name", ParamType.STRING, "Who to greet."))
            .parameter(ParameterSpec.optional("refuse", ParamType.BOOL, "false", "Refuse, as bad input (exit 2)."))
            .outputParameter("length", ParamType.INT, "Characters in the greeting.")
            .build();

    @Override
    public StepDefinition definition() {
        return DEF;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        if (ctx.flag("refuse")) {
            throw new IllegalArgumentException("name: refusing to greet " + ctx.string("name"));
        }
        Optional<String> prefix = ctx.optionalInput("prefix").map(r -> {
            try {
                return Files.readString(r.file(FILE));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String text = prefix.orElse("hello") + " " + ctx.string("name");
        try (ArtifactWriter w = ctx.writer("greeting")) {
            w.writeText(FILE, text);
            w.commit();
        }
        ctx.outputParameter("length", (long) text.length());
    }
}
