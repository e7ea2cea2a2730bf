package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.cli.hello.GreetStep;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tether run} through picocli, on the test pipeline "hello" (greet → greet-again). */
class RunCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    static Run tether(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tether.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String greeting(String task) throws Exception {
        return Files.readString(ArtifactReader.open(tmp.resolve("runs/a").resolve(task).resolve("greeting"), GreetStep.SCHEMA, 1)
                .file(GreetStep.FILE));
    }

    private Run run(String... extra) {
        String[] args = new String[extra.length + 5];
        System.arraycopy(new String[] {"run", "hello", "--runs-dir", tmp.resolve("runs").toString(), "--run-id=a"}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return tether(args);
    }

    @Test
    void runsThenResumes() throws Exception {
        Run first = run("--set", "name=ada");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("tether run hello: 2 tasks", "[1/2] greet running", "[2/2] greet-again done in", "length=15",
                "run a done: 2 ran, 0 cached");
        assertThat(greeting("greet")).isEqualTo("hello ada");
        assertThat(greeting("greet-again")).isEqualTo("hello ada again");

        Run again = run("--set", "name=ada");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("[1/2] greet cached", "[2/2] greet-again cached", "run a done: 0 ran, 2 cached");
    }

    @Test
    void untilRunsATaskAndWhatItNeedsAndALaterRunResumes() throws Exception {
        Run part = run("--set", "name=ada", "--until", "greet");
        assertThat(part.exit()).as(part.err()).isZero();
        assertThat(part.out()).contains("tether run hello: 1 tasks of 2 (--until greet)", "run a done: 1 ran, 0 cached, 1 not asked for (--until)")
                .doesNotContain("greet-again");
        assertThat(greeting("greet")).isEqualTo("hello ada");
        assertThat(tmp.resolve("runs/a/greet-again")).doesNotExist();

        Run rest = run("--set", "name=ada");
        assertThat(rest.out()).contains("[1/2] greet cached", "run a done: 1 ran, 1 cached");

        Run unknown = run("--until", "greet-twice");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("pipeline hello has no task 'greet-twice'");
    }

    @Test
    void theExecutorIsChosenByNameAndAnUnknownOneIsRefused() {
        Run bad = run("--executor", "docker");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--executor", "in_process", "podman");
    }

    @Test
    void inputArtifactsComeFromDirectories() throws Exception {
        Path prefix = tmp.resolve("prefix");
        try (ArtifactWriter w = ArtifactWriter.create(prefix, GreetStep.SCHEMA, 1, "test")) {
            w.writeText(GreetStep.FILE, "hi");
            w.commit();
        }
        Run r = run("--input", "prefix=" + prefix);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(greeting("greet-again")).isEqualTo("hi world again");
    }

    @Test
    void aFailedTaskGivesItsExitCodeAndOneLine() {
        Run r = run("--set", "refuse=true");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("tether run: task greet-again failed (exit 2): name: refusing to greet again");
        assertThat(r.out()).contains("[1/2] greet done", "greet-again  FAILED (exit 2)");
        assertThat(tmp.resolve("runs/a/greet-again")).doesNotExist();
    }

    @Test
    void badUsageExitsTwo() {
        Run unknown = tether("run", "hellp", "--runs-dir", tmp.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("tether run: unknown pipeline 'hellp'; known pipelines: ").contains("hello");

        Run badSet = run("--set", "nmae=ada");
        assertThat(badSet.exit()).isEqualTo(2);
        assertThat(badSet.err().strip()).isEqualTo("tether run: --set nmae: pipeline hello has no such parameter; its parameters: [name, refuse]");

        Run badType = run("--set", "refuse=maybe");
        assertThat(badType.exit()).isEqualTo(2);
        assertThat(badType.err()).contains("--set refuse: expected a boolean, got 'maybe'");

        Run none = tether("run");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("which pipeline? known: ").contains("hello");
        assertThat(tmp.resolve("runs")).doesNotExist();
    }

    @Test
    void listShowsPipelinesWithTheirParametersAndInputs() {
        Run r = tether("run", "--list");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("hello  Greets twice. (2 tasks)", "--set name=STRING  Who to greet. (default: world)",
                "--input prefix=DIR  A custom greeting. (a tether.test-text artifact, optional)");
    }
}
