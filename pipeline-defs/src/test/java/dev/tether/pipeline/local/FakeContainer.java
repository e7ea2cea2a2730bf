package dev.tether.pipeline.local;

import dev.tether.step.Step;
import dev.tether.step.StepCatalog;
import dev.tether.step.StepCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fake {@code podman run} does in {@link PodmanExecutorTest}: a JVM that reads the podman
 * options as podman would (volumes, read-only mounts), then runs the step named by the image (or by
 * the leading argument) with the container paths mapped back to the host folders they mount, so
 * the executor's whole contract — mounts, arguments, output parameters, exit codes — is exercised
 * without a container engine. It logs each command line to the file named by its first argument.
 */
public final class FakeContainer {
    private FakeContainer() {}

    public static void main(String[] argv) throws IOException {
        Path log = Path.of(argv[0]);
        List<String> args = List.of(argv).subList(1, argv.length);
        Files.writeString(log, String.join(" ", args) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Map<String, String> mounts = new LinkedHashMap<>();
        int i = 1; // args.get(0) is "run"
        for (; i < args.size() && args.get(i).startsWith("--"); i++) {
            if (args.get(i).startsWith("--volume=")) {
                String[] v = args.get(i).substring("--volume=".length()).split(":");
                mounts.put(v[1], v[0]);
            }
        }
        String image = args.get(i++);
        List<String> stepArgs = new ArrayList<>();
        for (String a : args.subList(i, args.size())) {
            String mapped = a;
            for (Map.Entry<String, String> m : mounts.entrySet()) {
                if (a.equals(m.getKey()) || a.startsWith(m.getKey() + "/")) {
                    mapped = m.getValue() + a.substring(m.getKey().length());
                }
            }
            stepArgs.add(mapped);
        }
        String name = image.substring(image.lastIndexOf('/') + "tether-".length() + 1, image.lastIndexOf(':'));
        if (!stepArgs.isEmpty() && !stepArgs.get(0).startsWith("--")) {
            name = stepArgs.remove(0);
        }
        Step step = StepCatalog.load().get(name);
        System.exit(StepCli.execute(step, stepArgs.toArray(String[]::new), System.out, System.err));
    }
}
