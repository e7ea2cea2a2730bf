package dev.tether.pipeline.local;

import dev.tether.core.TetherVersion;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.outputs.MetricsJson;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.pipeline.compile.ImageContract;
import dev.tether.step.ExitCode;
import dev.tether.step.OutputParameter;
import dev.tether.step.StepCli;
import dev.tether.step.StepDefinition;
import dev.tether.step.StepRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each task's step in its container image with podman, the way a cluster runs it: the image's
 * command and the step's command line ({@link ImageContract}, {@link StepCli}), no network, a
 * read-only root filesystem with a small writable /tmp, no capabilities. Input artifacts are
 * mounted read-only one by one; the task's folder is mounted writable, so each output is written
 * and renamed into place inside one mount; output parameters (and the metrics) come back through
 * {@code --argo-outputs}, as an Argo pod hands them to the controller.
 *
 * <p>Ownership: with rootful podman the container runs as the image's own user, so the task's
 * folder is handed to that user before the step starts; with rootless podman the container runs
 * as the calling user ({@code --userns=keep-id}), so what it writes is the caller's.
 */
public final class PodmanExecutor implements Executor {
    static final String IN = "/tether/in";
    static final String OUT = "/tether/out";
    static final String PARAMS = "/tether/params";

    /**
     * @param podman the podman command
     * @param registry images are {@code <registry>/tether-<module>:<tag>}; {@code localhost} for images loaded from Jib's tarballs
     * @param tag the images' tag, by default this build's version
     * @param tmpSize the size of the container's writable /tmp (a tmpfs, as an emptyDir would be)
     * @param extraArgs more {@code podman run} options (e.g. {@code --memory=4g}), before the image
     */
    public record Settings(String podman, String registry, String tag, String tmpSize, List<String> extraArgs) {
        public Settings {
            extraArgs = List.copyOf(extraArgs);
        }

        public static Settings defaults() {
            return new Settings("podman", "localhost", TetherVersion.get(), "512m", List.of());
        }

        public Settings withRegistry(String r) {
            return new Settings(podman, r, tag, tmpSize, extraArgs);
        }

        public Settings withTag(String t) {
            return new Settings(podman, registry, t, tmpSize, extraArgs);
        }

        public String image(StepDefinition step) {
            return registry + "/tether-" + ImageContract.module(step) + ":" + tag;
        }
    }

    private final Settings settings;
    /** This process's "uid:gid": "0:…" means rootful podman. */
    private final String user;
    private final Map<String, String> imageUsers = new LinkedHashMap<>();

    private PodmanExecutor(Settings settings, String user) {
        this.settings = settings;
        this.user = user;
    }

    /**
     * An executor for {@code pipeline}, after checking that podman runs and has every image the
     * pipeline needs, so a missing image is one message before any task runs, not a failure halfway.
     *
     * @throws IllegalArgumentException naming each missing image and how to get it
     */
    public static PodmanExecutor forPipeline(Pipeline pipeline, Settings settings) {
        PodmanExecutor e = new PodmanExecutor(settings, currentUser());
        Set<String> images = new LinkedHashSet<>();
        pipeline.tasks().forEach(t -> images.add(settings.image(t.step())));
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            Exec r = exec(List.of(settings.podman(), "image", "inspect", "--format", "{{.Config.User}}", image));
            if (r.exit() != 0) {
                missing.add(image);
            } else {
                e.imageUsers.put(image, r.out().strip());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("podman has no image " + String.join(", ", missing) + ". Build the images with "
                    + "'./mvnw -Pimages verify -DskipTests' and load each with 'podman load -i components/<module>/target/jib-image.tar' "
                    + "(containers/README.md), or pull them from a registry and pass --registry/--tag");
        }
        return e;
    }

    @Override
    public StepRunner.Result execute(TaskCall call) throws TaskFailure {
        StepDefinition step = call.task().step();
        String image = settings.image(step);
        Path paramsDir = null;
        try {
            paramsDir = Files.createTempDirectory("tether-params-");
            List<Path> outputDirs = outputDirs(call);
            for (Path d : outputDirs) {
                Files.createDirectories(d);
            }
            if (rootful()) {
                List<Path> writable = new ArrayList<>(outputDirs);
                writable.add(paramsDir);
                handTo(imageUsers.getOrDefault(image, ""), writable.toArray(Path[]::new));
            }
            List<String> command = command(call, image, outputDirs, paramsDir);
            Outcome o = run(command, call.log(), call.task());
            if (o.exit() != ExitCode.OK) {
                // 125–127: podman itself failed (no such image, cannot start), not the step.
                boolean podmanFailed = o.exit() >= 125;
                throw new TaskFailure(podmanFailed ? ExitCode.FAILED : o.exit(), o.lastError() == null
                        ? "the container exited with " + o.exit() + " (" + image + ")"
                        : (podmanFailed ? "podman: " : "") + o.lastError());
            }
            Path metrics = paramsDir.resolve(MetricsJson.FILE_NAME);
            return new StepRunner.Result(readParameters(step, paramsDir), Files.exists(metrics) ? MetricsJson.read(metrics) : Map.of());
        } catch (IOException e) {
            throw new TaskFailure(ExitCode.FAILED, "podman: " + e.getMessage(), e);
        } finally {
            if (paramsDir != null) {
                try {
                    AtomicFiles.deleteRecursively(paramsDir);
                } catch (IOException ignored) {
                    // a temp folder; the OS cleans it
                }
            }
        }
    }

    /**
     * @param outputDirs the folders the outputs are written in: the task's folder, or for a shard
     *     of a fan-out one {@code <output>} folder per output (shard k writes {@code <output>/shard-<k>})
     */
    List<String> command(TaskCall call, String image, List<Path> outputDirs, Path paramsDir) {
        List<String> c = new ArrayList<>(List.of(settings.podman(), "run", "--rm", "--net=none",
                "--read-only", "--read-only-tmpfs=false", "--tmpfs=/tmp:rw,mode=1777,size=" + settings.tmpSize(),
                "--cap-drop=all", "--security-opt=no-new-privileges"));
        if (!rootful()) {
            c.add("--userns=keep-id");
            c.add("--user=" + user);
        }
        call.inputs().forEach((port, dir) -> c.add("--volume=" + dir.toAbsolutePath() + ":" + IN + "/" + port + ":ro"));
        for (int i = 0; i < outputDirs.size(); i++) {
            c.add("--volume=" + outputDirs.get(i) + ":" + mountOf(outputDirs, i) + ":rw");
        }
        c.add("--volume=" + paramsDir + ":" + PARAMS + ":rw");
        // The threads the launcher would set (./tether): one intra-op thread per step, unless the caller says otherwise.
        c.add("--env=JDK_JAVA_OPTIONS=-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "1")
                + " -Dai.djl.pytorch.num_interop_threads=1");
        c.add("--env=OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "1"));
        c.addAll(settings.extraArgs());
        c.add(image);
        StepDefinition step = call.task().step();
        c.addAll(ImageContract.leadingArguments(step));
        call.inputs().forEach((port, dir) -> c.addAll(List.of("--" + port, IN + "/" + port)));
        call.outputs().forEach((port, dir) -> {
            int i = outputDirs.indexOf(dir.toAbsolutePath().getParent());
            if (i < 0) {
                throw new IllegalStateException("output " + port + " at " + dir + " is not in the folders mounted for it " + outputDirs);
            }
            c.addAll(List.of("--" + port, mountOf(outputDirs, i) + "/" + dir.getFileName()));
        });
        call.parameters().forEach((name, value) -> c.addAll(List.of("--" + name, value)));
        if (!step.outputParameters().isEmpty() || step.reportsMetrics()) {
            c.addAll(List.of(StepCli.ARGO_OUTPUTS, PARAMS));
        }
        return c;
    }

    private record Outcome(int exit, String lastError) {}

    /** Runs podman, its output going to the run's log as it comes; the last line on stderr is the step's message. */
    private static Outcome run(List<String> command, PrintStream log, Task task) throws IOException {
        AtomicReference<String> lastError = new AtomicReference<>();
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        Thread out = pump(p.getInputStream(), log, null);
        Thread err = pump(p.getErrorStream(), log, lastError);
        try {
            int exit = p.waitFor();
            out.join();
            err.join();
            return new Outcome(exit, lastError.get());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while task " + task.name() + " ran", e);
        }
    }

    private static Thread pump(InputStream in, PrintStream log, AtomicReference<String> last) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    // The JVM announces JDK_JAVA_OPTIONS on stderr; that is not the step's message.
                    if (line.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS")) {
                        continue;
                    }
                    log.println(line);
                    if (last != null && !line.isBlank()) {
                        last.set(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The step's output parameters, as typed values, from the files it wrote (Argo's contract). */
    static Map<String, Object> readParameters(StepDefinition step, Path dir) throws TaskFailure {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OutputParameter o : step.outputParameters()) {
            Path file = dir.resolve(o.name());
            if (!Files.exists(file)) {
                if (o.optional()) {
                    continue;
                }
                throw new TaskFailure(ExitCode.FAILED, "step " + step.name() + " succeeded but wrote no output parameter " + o.name());
            }
            try {
                values.put(o.name(), o.type().parse(o.name(), Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                throw new TaskFailure(ExitCode.FAILED, "step " + step.name() + ": output parameter " + o.name() + ": " + e.getMessage(), e);
            }
        }
        return values;
    }

    /** The folders the task's outputs go in, each mounted writable (a step commits an output by renaming into its folder). */
    private static List<Path> outputDirs(TaskCall call) {
        Set<Path> parents = new LinkedHashSet<>();
        call.outputs().values().forEach(p -> parents.add(p.toAbsolutePath().getParent()));
        return List.copyOf(parents);
    }

    private static String mountOf(List<Path> outputDirs, int i) {
        return outputDirs.size() == 1 ? OUT : OUT + "/" + i;
    }

    /** Rootful podman: the image's user (e.g. 1001:1001) must be able to write the task's folder and the parameters folder. */
    private static void handTo(String user, Path... dirs) throws IOException {
        String[] ids = user.isBlank() ? new String[] {"0", "0"} : user.split(":", 2);
        if (!ids[0].chars().allMatch(Character::isDigit)) {
            throw new IOException("the image's user '" + user + "' is not numeric; tether images run as 1001:1001");
        }
        for (Path d : dirs) {
            Files.setAttribute(d, "unix:uid", Integer.parseInt(ids[0]));
            Files.setAttribute(d, "unix:gid", Integer.parseInt(ids.length > 1 && !ids[1].isBlank() ? ids[1] : ids[0]));
        }
    }

    private boolean rootful() {
        return user.startsWith("0:");
    }

    /** "uid:gid" of this process: the owner of a file it just created is its effective user. */
    private static String currentUser() {
        try {
            Path probe = Files.createTempFile("tether-id-", "");
            try {
                return Files.getAttribute(probe, "unix:uid") + ":" + Files.getAttribute(probe, "unix:gid");
            } finally {
                Files.delete(probe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell this process's user: " + e.getMessage(), e);
        }
    }

    private record Exec(int exit, String out) {}

    private static Exec exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Exec(p.waitFor(), out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + command.get(0) + " (" + e.getMessage() + "); install podman (containers/README.md)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

}
