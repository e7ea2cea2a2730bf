package dev.tether.containers;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman with a configuration and storage of its own under one folder, so a test neither needs nor
 * touches the machine's: runc as the runtime and fixed ulimits (what podman needs on these
 * machines, DESIGN.md 8), and a storage driver that needs no daemon or fuse (vfs by default).
 */
final class Podman {
    record Result(List<String> command, int exit, String out, String err) {
        String describe() {
            return String.join(" ", command) + "\nexit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private final Path dir;

    private Podman(Path dir) {
        this.dir = dir;
    }

    static boolean onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, "podman")));
    }

    /**
     * Storage (images, containers) and configuration under dir. Keep dir short: with a storage path
     * longer than about 48 characters, podman 4.3 waits out conmon's 20 s timeout after every
     * container exits (measured on these machines), which is why the default is under /tmp.
     */
    static Podman isolatedIn(Path dir, String storageDriver) throws IOException {
        Path storage = dir.resolve("storage").toAbsolutePath();
        if (storage.toString().length() > 48) {
            throw new IllegalArgumentException("podman storage path " + storage + " is " + storage.toString().length()
                    + " characters; keep it at most 48 (podman then waits 20 s after each container), e.g. -Dtether.smoke.podman.dir=/tmp/tp");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]

                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                """);
        Files.writeString(dir.resolve("storage.conf"), """
                [storage]
                driver = "%s"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(storageDriver, storage, dir.resolve("run").toAbsolutePath()));
        return new Podman(dir);
    }

    /**
     * A {@code podman} command for code that runs podman itself (the local runner's executor): a
     * script that points podman at this configuration and storage.
     */
    Path wrapperScript(Path file) throws IOException {
        Files.writeString(file, """
                #!/bin/sh
                export CONTAINERS_CONF='%s' CONTAINERS_STORAGE_CONF='%s'
                exec podman "$@"
                """.formatted(dir.resolve("containers.conf").toAbsolutePath(), dir.resolve("storage.conf").toAbsolutePath()));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    Result run(Duration timeout, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        Path stdout = Files.createTempFile(dir, "podman", ".out");
        Path stderr = Files.createTempFile(dir, "podman", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        pb.environment().put("CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("podman did not finish in " + timeout + ": " + String.join(" ", command));
        }
        try {
            return new Result(command, p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, List.of(args));
    }
}
