package dev.tether.cli;

import static dev.tether.cli.RunCommandTest.tether;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.cli.hello.GreetStep;
import dev.tether.core.artifact.ArtifactReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tether step}: a registered step with its own command line, as its container runs it. */
class StepCommandTest {
    @TempDir
    Path tmp;

    @Test
    void runsAStepWithItsOwnOptions() throws Exception {
        Path out = tmp.resolve("greeting");
        RunCommandTest.Run r = tether("step", "greet", "--name", "ada", "--greeting", out.toString(), "--argo-outputs", tmp.resolve("argo").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(ArtifactReader.open(out, GreetStep.SCHEMA, 1).file(GreetStep.FILE))).isEqualTo("hello ada");
        assertThat(Files.readString(tmp.resolve("argo/length"))).isEqualTo("9");
    }

    @Test
    void theStepsOwnHelpAndErrorsPassThrough() {
        RunCommandTest.Run help = tether("step", "greet", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Greets someone.", "--name=STRING", "--greeting=DIR", "--refuse=BOOL");

        RunCommandTest.Run missing = tether("step", "greet", "--greeting", tmp.resolve("g").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("tether greet: parameter name is required (--name): Who to greet.");

        RunCommandTest.Run refused = tether("step", "greet", "--name", "x", "--refuse", "true", "--greeting", tmp.resolve("g").toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("tether greet: name: refusing to greet x");
        assertThat(tmp.resolve("g")).doesNotExist();
    }

    @Test
    void listAndUnknownNames() {
        RunCommandTest.Run list = tether("step", "--list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).containsPattern("(?m)^greet +Greets someone\\.$");

        RunCommandTest.Run unknown = tether("step", "gret", "--name", "x");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("tether step: unknown step 'gret'; known steps: ").contains("greet");

        RunCommandTest.Run none = tether("step");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("which step? known: ").contains("greet");
    }
}
