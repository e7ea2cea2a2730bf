package dev.tether.pipeline.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing the generated files, and telling which are stale. */
class PipelineFilesTest {
    @TempDir
    Path root;

    final Map<String, String> files = PipelineFiles.render(List.of(KfpCompilerTest.TOY), CompileSettings.defaults());

    @Test
    void writesThenFindsNothingStale() throws Exception {
        assertThat(files).containsOnlyKeys("kfp/toy.yaml", "argo/toy-workflowtemplate.yaml", "argo/toy-cronworkflow.yaml");
        assertThat(PipelineFiles.stale(root, files)).containsExactlyElementsOf(files.keySet());
        assertThat(PipelineFiles.write(root, files)).containsExactlyElementsOf(files.keySet());
        assertThat(Files.readString(root.resolve("kfp/toy.yaml"))).isEqualTo(files.get("kfp/toy.yaml"));
        assertThat(PipelineFiles.stale(root, files)).isEmpty();
        assertThat(PipelineFiles.write(root, files)).isEmpty();
    }

    @Test
    void anEditedFileOrALeftoverIsStaleAndWriteRepairsIt() throws Exception {
        PipelineFiles.write(root, files);
        Files.writeString(root.resolve("argo/toy-cronworkflow.yaml"), files.get("argo/toy-cronworkflow.yaml").replace("0 3 * * *", "0 4 * * *"));
        Files.writeString(root.resolve("kfp/old-pipeline.yaml"), "pipelineInfo: {}\n");
        Files.writeString(root.resolve("kfp/notes.txt"), "not generated");
        assertThat(PipelineFiles.stale(root, files)).containsExactly("argo/toy-cronworkflow.yaml", "kfp/old-pipeline.yaml");
        assertThat(PipelineFiles.write(root, files)).containsExactly("argo/toy-cronworkflow.yaml", "kfp/old-pipeline.yaml");
        assertThat(root.resolve("kfp/old-pipeline.yaml")).doesNotExist();
        assertThat(root.resolve("kfp/notes.txt")).exists();
        assertThat(PipelineFiles.stale(root, files)).isEmpty();
    }
}
