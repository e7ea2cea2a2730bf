package dev.tether.cli.hello;

import static dev.tether.pipeline.ArtifactSource.pipelineInput;
import static dev.tether.pipeline.ParameterSource.pipelineParameter;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineBuilder;
import dev.tether.pipeline.PipelineProvider;
import dev.tether.pipeline.TaskBuilder;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;

/** greet → greet-again (which starts from the first greeting), for the command-line tests. */
public final class HelloPipeline implements PipelineProvider {

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public Pipeline pipeline() {
        PipelineBuilder p = Pipeline.builder("hello").description("Greets twice.")
                .parameter("name", ParamType.STRING, "world", "Who to greet.")
                .parameter("refuse", ParamType.BOOL, "false", "Make greet-again refuse.")
                .input(ArtifactPort.of("prefix", GreetStep.SCHEMA, ArtifactKind.DATASET, "A custom greeting.").asOptional());
        TaskBuilder first = p.task("greet", GreetStep.DEF).input("prefix", pipelineInput("prefix")).parameter("name", pipelineParameter("name"));
        p.task("greet-again", GreetStep.DEF).input("prefix", first.output("greeting")).set("name", "again")
                .parameter("refuse", pipelineParameter("refuse"));
        return p.build();
    }
}
