package dev.tether.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.pipeline.toy.ToyPipeline;
import dev.tether.step.StepCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineCatalogTest {

    @Test
    void findsRegisteredPipelinesAndTheStepsTheyUse() {
        PipelineCatalog catalog = PipelineCatalog.load();
        // The product's pipelines (main services file) and the test's toy one.
        assertThat(catalog.names()).containsExactly("demo", "demo-quick", "rlhf-ppo", "toy");
        Pipeline toy = catalog.get("toy");
        assertThat(toy.tasks()).hasSize(6);
        // Every step each pipeline uses is registered, with the very definition it was wired against.
        StepCatalog steps = StepCatalog.load();
        for (Pipeline p : catalog.pipelines()) {
            p.tasks().forEach(t -> assertThat(steps.get(t.step().name()).definition()).as(p.name() + "/" + t.name()).isEqualTo(t.step()));
        }
    }

    @Test
    void anUnknownNameListsTheKnownPipelines() {
        assertThatThrownBy(() -> PipelineCatalog.load().get("rlhf"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown pipeline 'rlhf'; known pipelines: demo, demo-quick, rlhf-ppo, toy");
    }

    @Test
    void aProviderMustBuildThePipelineItIsRegisteredAs() {
        PipelineProvider liar = new PipelineProvider() {
            @Override
            public String name() {
                return "demo";
            }

            @Override
            public Pipeline pipeline() {
                return new ToyPipeline().pipeline();
            }
        };
        assertThatThrownBy(() -> PipelineCatalog.of(List.of(liar)).get("demo")).hasMessageEndingWith("is registered as pipeline 'demo' but builds 'toy'");
        assertThatThrownBy(() -> PipelineCatalog.of(List.of(new ToyPipeline(), new ToyPipeline())))
                .hasMessageStartingWith("two pipelines are named 'toy'");
    }
}
