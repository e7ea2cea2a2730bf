package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.outputs.MetricsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BanditCommandTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {}

    private static Run tether(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tether.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void quickDemoWritesVerifiedArtifactsAndShowsTheContrast() throws Exception {
        Run r = tether("bandit", "--quick", "--out", tmp.toString(), "--run-id", "a");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| beta-0 |").contains("| beta-adaptive |");

        Map<String, Double> free = metrics(tmp.resolve("a/beta-0"));
        Map<String, Double> adaptive = metrics(tmp.resolve("a/beta-adaptive"));
        assertThat(free.get("kl_exact")).isGreaterThan(2.5);
        assertThat(free.get("gold")).isLessThan(-1.5);
        assertThat(adaptive.get("kl_exact")).isBetween(0.2, 0.7);
        assertThat(adaptive.get("gold")).isGreaterThan(free.get("gold") + 1.5);
        assertThat(Files.readString(tmp.resolve("a/beta-adaptive/argo/kl"))).doesNotEndWith("\n")
                .satisfies(v -> assertThat(Double.parseDouble(v)).isEqualTo(adaptive.get("kl_seq")));
        assertThat(Files.readString(tmp.resolve("a/report/summary.md"))).contains("TV(π, π*)");
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        assertThat(tether("bandit", "--iterations", "5", "--out", tmp.toString(), "--run-id", "x").exit()).isZero();
        assertThat(tether("bandit", "--iterations", "5", "--out", tmp.toString(), "--run-id", "y").exit()).isZero();
        for (String arm : new String[] {"beta-0", "beta-fixed", "beta-adaptive"}) {
            assertThat(Files.readAllBytes(tmp.resolve("y/" + arm + "/manifest.json")))
                    .isEqualTo(Files.readAllBytes(tmp.resolve("x/" + arm + "/manifest.json")));
        }
    }

    @Test
    void badSettingExitsTwoWithOneLineAndWritesNothing() {
        Run r = tether("bandit", "--iterations", "0", "--out", tmp.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("tether bandit: --iterations: expected > 0, got 0");
        assertThat(tmp.toFile().list()).isEmpty();

        Run bad = tether("bandit", "--kl-target", "-1", "--out", tmp.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("kl_target: expected a finite number > 0, got -1.0");
        assertThat(tmp.toFile().list()).isEmpty();
    }

    private static Map<String, Double> metrics(Path armDir) {
        ArtifactReader reader = ArtifactReader.open(armDir, "tether.metrics", 1); // verifies every file's digest
        return MetricsJson.read(reader.file(MetricsJson.FILE_NAME));
    }
}
