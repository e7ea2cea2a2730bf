package dev.tether.cli;

import static dev.tether.cli.RunCommandTest.tether;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.cli.RunCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tether compile} through picocli. The test classpath registers rlhf-ppo and the test
 * pipeline "hello", whose optional input no engine can express, so most tests name rlhf-ppo.
 */
class CompileCommandTest {
    @TempDir
    Path out;

    @Test
    void writesThePipelineThenFindsItCurrent() throws Exception {
        Run first = tether("compile", "--out", out.toString(), "rlhf-ppo");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("wrote " + out.resolve("kfp/rlhf-ppo.yaml"), "wrote " + out.resolve("argo/rlhf-ppo-cronworkflow.yaml"),
                "tether compile: 1 pipeline(s), 3 files, 3 changed");
        assertThat(Files.readString(out.resolve("argo/rlhf-ppo-workflowtemplate.yaml"))).contains("kind: WorkflowTemplate",
                "image: ghcr.io/tether-dev/tether-ppo-update:");
        assertThat(Files.readString(out.resolve("kfp/rlhf-ppo.yaml"))).contains("schemaVersion: 2.1.0");

        Run check = tether("compile", "--out", out.toString(), "--check", "rlhf-ppo");
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).contains("tether compile: 3 files for 1 pipeline(s) are current");

        Run again = tether("compile", "--out", out.toString(), "rlhf-ppo");
        assertThat(again.out()).contains("3 files, 0 changed").doesNotContain("wrote");
    }

    @Test
    void aPipelineNoEngineCanRunIsRefusedWithTheReason() {
        Run r = tether("compile", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("tether compile: pipeline hello: input prefix is optional, which KFP and Argo runs cannot express");
        assertThat(out.resolve("kfp")).doesNotExist();
    }

    @Test
    void checkFailsOnAnEditedFileAndNamesIt() throws Exception {
        assertThat(tether("compile", "--out", out.toString(), "rlhf-ppo").exit()).isZero();
        Path kfp = out.resolve("kfp/rlhf-ppo.yaml");
        Files.writeString(kfp, Files.readString(kfp).replace("maxRetryCount: 2", "maxRetryCount: 5"));
        Run check = tether("compile", "--out", out.toString(), "--check", "rlhf-ppo");
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains("stale: " + kfp);
        assertThat(check.err()).contains("1 file(s) differ from a fresh compile; run ./tether compile");
        assertThat(Files.readString(kfp)).contains("maxRetryCount: 5");
    }

    @Test
    void registryAndTagNameTheImages() throws Exception {
        Run r = tether("compile", "--out", out.toString(), "--registry", "registry.example/ml", "--tag", "7.0.1", "rlhf-ppo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("kfp/rlhf-ppo.yaml"))).contains("image: registry.example/ml/tether-rollout:7.0.1")
                .doesNotContain("ghcr.io");
        Run bad = tether("compile", "--out", out.toString(), "--tag", "no spaces allowed", "rlhf-ppo");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("tag: expected an image tag");
    }

    @Test
    void aMissingOutputDirectoryIsAUsageError() {
        Run r = tether("compile", "--out", out.resolve("nowhere").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + out.resolve("nowhere") + ": no such directory (run from the repository root");
    }
}
