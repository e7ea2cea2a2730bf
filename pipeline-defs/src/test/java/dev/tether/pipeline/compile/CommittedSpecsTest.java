package dev.tether.pipeline.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineCatalog;
import dev.tether.pipeline.PipelineProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed pipeline-defs/kfp and pipeline-defs/argo files are what {@code ./tether compile}
 * writes for the pipelines this module registers. The test classpath also registers test
 * pipelines, so the catalog is built from the main services file alone.
 */
class CommittedSpecsTest {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path SERVICES = MODULE.resolve("src/main/resources/META-INF/services/" + PipelineProvider.class.getName());

    static List<Pipeline> registeredPipelines() throws IOException, ReflectiveOperationException {
        List<PipelineProvider> providers = new ArrayList<>();
        for (String line : Files.readAllLines(SERVICES)) {
            String name = line.replaceAll("#.*", "").trim();
            if (!name.isEmpty()) {
                providers.add((PipelineProvider) Class.forName(name).getDeclaredConstructor().newInstance());
            }
        }
        return PipelineCatalog.of(providers).pipelines();
    }

    @Test
    void theCommittedSpecsAreCurrent() throws Exception {
        Map<String, String> files = PipelineFiles.render(registeredPipelines(), CompileSettings.defaults());
        assertThat(PipelineFiles.stale(MODULE, files))
                .as("pipeline-defs/kfp and pipeline-defs/argo differ from a fresh compile: run ./tether compile (from the repository root) "
                        + "and commit the files")
                .isEmpty();
    }

    @Test
    void everyRegisteredPipelineHasItsThreeFiles() throws Exception {
        List<Pipeline> pipelines = registeredPipelines();
        assertThat(pipelines).extracting(Pipeline::name).contains("rlhf-ppo");
        Map<String, String> files = PipelineFiles.render(pipelines, CompileSettings.defaults());
        assertThat(files).hasSize(3 * pipelines.size())
                .containsKeys("kfp/rlhf-ppo.yaml", "argo/rlhf-ppo-workflowtemplate.yaml", "argo/rlhf-ppo-cronworkflow.yaml");
    }
}
