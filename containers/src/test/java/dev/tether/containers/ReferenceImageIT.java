package dev.tether.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.Manifest;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.step.Step;
import dev.tether.step.StepCli;
import dev.tether.steps.reference.ReferenceStep;
import dev.tether.steps.rollout.RolloutStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference step's image, run the way a cluster runs it: loaded from the tarball Jib wrote,
 * no network, the image's own non-root user, a read-only root filesystem with only a small /tmp
 * writable (as an emptyDir would be), no capabilities, artifacts in mounted folders. Both of its
 * engines run (ONNX Runtime, and PyTorch with {@code --engine pytorch}), so both native stacks
 * load from the image's read-only natives layer; what it writes is what the library writes.
 */
class ReferenceImageIT {
    private static final Duration LOAD = Duration.ofMinutes(10);
    private static final Duration RUN = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Podman podman;
    private static String image;
    private static Path in;
    private static Path out;
    private static Path expected;

    @BeforeAll
    static void loadTheImageAndMakeTheFixture() throws Exception {
        assertThat(Podman.onPath())
                .as("podman is not on PATH: the image smoke test (-Pimage-smoke-test) needs podman and runc, see containers/README.md")
                .isTrue();
        Path tar = Path.of(System.getProperty("tether.smoke.image.tar"));
        assertThat(tar).as("the reference step's image tarball; build it with -Pimages (containers/README.md)").isRegularFile();
        Path work = Path.of(System.getProperty("tether.smoke.work"));
        in = work.resolve("in");
        out = work.resolve("out");
        expected = work.resolve("expected");
        for (Path p : List.of(in, out, expected)) {
            AtomicFiles.deleteRecursively(p);
        }
        podman = Podman.isolatedIn(Path.of(System.getProperty("tether.smoke.podman.dir")), System.getProperty("tether.smoke.storage.driver", "vfs"));

        long start = System.nanoTime();
        Podman.Result load = podman.run(LOAD, "load", "--input", tar.toString());
        assertThat(load.exit()).as(load.describe()).isZero();
        Matcher m = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)").matcher(load.out());
        assertThat(m.find()).as("the image name in podman load's output:\n" + load.describe()).isTrue();
        image = m.group(1);
        System.out.printf("podman load %s: %s in %.1f s%n", tar, image, (System.nanoTime() - start) / 1e9);

        makeFixture();
        // The container's user (1001) reads the inputs and writes only into out/.
        makeWorldReadable(in);
        Files.createDirectories(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** The storage outlives the test (a short path under /tmp); the image need not: vfs keeps a full copy per layer. */
    @AfterAll
    static void removeTheImage() throws Exception {
        if (podman != null && image != null) {
            podman.run(RUN, "rmi", "--force", image);
        }
    }

    @Test
    void theImageRunsTheStepAsANonRootUserWithItsLabelsAndLayers() throws Exception {
        Podman.Result inspect = podman.run(RUN, "image", "inspect", image);
        assertThat(inspect.exit()).as(inspect.describe()).isZero();
        JsonNode config = JSON.readTree(inspect.out()).get(0).get("Config");
        assertThat(config.get("User").asText()).isEqualTo("1001:1001");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        assertThat(entrypoint).startsWith("java").endsWith("-jar", "/deployments/quarkus-run.jar")
                .contains("-Dai.djl.offline=true", "-DDJL_CACHE_DIR=/tmp/djl");
        assertThat(config.get("Labels").get("org.opencontainers.image.version").asText()).isNotBlank();
        assertThat(config.get("Labels").get("org.opencontainers.image.source").asText()).startsWith("http");
        assertThat(config.get("Labels").get("org.opencontainers.image.title").asText()).isEqualTo("tether-reference");

        Podman.Result history = podman.run(RUN, "history", "--format", "{{.Size}}\t{{.Comment}}", image);
        assertThat(history.exit()).as(history.describe()).isZero();
        System.out.println("layers of " + image + ", newest first:\n" + history.out());
        List<String> layers = history.out().lines().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
        assertThat(layers).containsSubsequence("application", "tether libraries", "libraries", "engine jars", "engine natives");
    }

    @Test
    void onOnnxRuntimeTheImageWritesWhatTheLibraryWrites() throws Exception {
        Podman.Result run = step("--rollout", "/in/rollout", "--reference_policy", "/in/policy", "--ref_logprobs", "/out/onnx");
        assertThat(run.exit()).as(run.describe()).isZero();

        ArtifactReader made = ArtifactReader.open(out.resolve("onnx"), Schemas.REF_LOGPROBS, 1);
        ArtifactReader library = ArtifactReader.open(expected, Schemas.REF_LOGPROBS, 1);
        Manifest manifest = made.manifest();
        assertThat(manifest.producer().step()).isEqualTo("reference");
        assertThat(manifest.inputs())
                .containsEntry("rollout", ArtifactReader.open(in.resolve("rollout"), Schemas.ROLLOUT, 1).digest())
                .containsEntry("reference_policy", ArtifactReader.open(in.resolve("policy"), Schemas.POLICY, 1).digest())
                .isEqualTo(library.manifest().inputs());
        assertThat(manifest.parameters()).isEqualTo(library.manifest().parameters());
        assertThat(manifest.tensors()).isEqualTo(library.manifest().tensors());
        assertThat(logprobs(out.resolve("onnx"))).containsExactly(logprobs(expected), within(1e-5f));
        if (isRoot()) {
            // Rootful podman maps no user namespace: files the step wrote are owned by the image's user.
            assertThat(Files.getAttribute(out.resolve("onnx").resolve(Manifest.FILE_NAME), "unix:uid")).isEqualTo(1001);
        }
    }

    @Test
    void onPytorchTheImageLoadsLibtorchFromItsReadOnlyLayer() throws Exception {
        Podman.Result run = step("--rollout", "/in/rollout", "--reference_policy", "/in/policy", "--ref_logprobs", "/out/pytorch",
                "--engine", "pytorch");
        assertThat(run.exit()).as(run.describe()).isZero();
        ArtifactReader made = ArtifactReader.open(out.resolve("pytorch"), Schemas.REF_LOGPROBS, 1);
        assertThat(made.manifest().parameters()).containsEntry("engine", "pytorch");
        assertThat(logprobs(out.resolve("pytorch"))).containsExactly(logprobs(expected), within(1e-4f));
    }

    @Test
    void aMissingInputIsExitTwoWithOneLineOnStderrAndNoOutput() throws Exception {
        Podman.Result run = step("--rollout", "/in/nothing-here", "--reference_policy", "/in/policy", "--ref_logprobs", "/out/never");
        assertThat(run.exit()).as(run.describe()).isEqualTo(2);
        assertThat(run.err().lines().toList()).as(run.describe()).hasSize(1);
        assertThat(run.err()).contains("input rollout").contains("/in/nothing-here");
        assertThat(out.resolve("never")).doesNotExist();
    }

    /** One run of the image: args are the step's options, as a workflow passes them. */
    private static Podman.Result step(String... stepArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--net=none",
                "--read-only", "--read-only-tmpfs=false", "--tmpfs=/tmp:rw,mode=1777,size=64m",
                "--cap-drop=all", "--security-opt=no-new-privileges",
                "--volume=" + in + ":/in:ro", "--volume=" + out + ":/out:rw", image));
        args.addAll(List.of(stepArgs));
        long start = System.nanoTime();
        Podman.Result r = podman.run(RUN, args);
        System.out.printf("podman run ... %s: exit %d in %.1f s%n", String.join(" ", stepArgs), r.exit(), (System.nanoTime() - start) / 1e9);
        return r;
    }

    /** A tiny random GPT-2, eight prompts, a rollout from them, and the library's reference log-probs. */
    private static void makeFixture() throws Exception {
        ModelConfig config = ModelConfig.parse(JSON.readTree("""
                {"model_type": "gpt2", "vocab_size": 12, "n_positions": 32, "n_embd": 16, "n_layer": 1, "n_head": 2,
                 "bos_token_id": 1, "eos_token_id": 2, "tie_word_embeddings": true}"""), "smoke-test config");
        try (NDManager nd = NDManager.newBaseManager();
                CausalLM model = CausalLM.initialize(config, nd, 3);
                ArtifactWriter w = ArtifactWriter.create(in.resolve("policy"), Schemas.POLICY, 1, "test")) {
            PolicyArtifact.write(w.dir(), Checkpoint.of(model), Optional.empty());
            w.commit();
        }
        try (ArtifactWriter w = ArtifactWriter.create(in.resolve("prompts"), Schemas.PROMPTS, 1, "test")) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                lines.add("{\"prompt\": \"p" + i + "\", \"prompt_ids\": [1, " + (3 + i % 4) + "]}");
            }
            w.writeText(PromptsFile.FILE_NAME, String.join("\n", lines) + "\n");
            w.commit();
        }
        inProcess(new RolloutStep(), "--policy", in.resolve("policy").toString(), "--prompts", in.resolve("prompts").toString(),
                "--rollout", in.resolve("rollout").toString(), "--max_new_tokens", "8", "--samples_per_prompt", "2", "--seed", "7");
        inProcess(new ReferenceStep(), "--rollout", in.resolve("rollout").toString(), "--reference_policy", in.resolve("policy").toString(),
                "--ref_logprobs", expected.toString());
    }

    private static void inProcess(Step step, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(step, args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertThat(exit).as("%s in-process: %s", step.definition().name(), err.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static float[] logprobs(Path dir) throws IOException {
        RolloutBatch r;
        try (SafetensorsFile f = ArtifactReader.open(in.resolve("rollout"), Schemas.ROLLOUT, 1).safetensors(RolloutBatch.FILE_NAME)) {
            r = RolloutBatch.read(f);
        }
        try (SafetensorsFile f = ArtifactReader.open(dir, Schemas.REF_LOGPROBS, 1).safetensors(SequenceScores.REF_LOGPROBS_FILE)) {
            return SequenceScores.readRefLogprobs(f, r.batch(), r.responseLength());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        // (the folders above it need not be: podman mounts it as root, the container sees only /in)
    }
}
