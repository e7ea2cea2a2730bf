package dev.tether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tether demo --quick}, end to end from nothing but a seed, and what it must show: without
 * the KL penalty the policy games the proxy and its text degenerates; with adaptive β the KL stays
 * near its target, the text stays grammatical and gold reward stays far above the β = 0 arm.
 * Directions and margins, not exact floats.
 */
class DemoQuickTest {
    @TempDir
    Path tmp;

    @Test
    void theKlPenaltyIsWhatKeepsThePolicyHonest() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tether.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("demo", "--quick", "--runs-dir", tmp.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| beta-0 |").contains("| beta-adaptive |").contains("report.html");

        Path report = tmp.resolve("demo-quick/compare/report");
        assertThat(report.resolve("report.html")).isRegularFile();
        JsonNode comparison = new ObjectMapper().readTree(Files.readAllBytes(report.resolve("comparison.json")));
        JsonNode free = arm(comparison, "beta-0");
        JsonNode held = arm(comparison, "beta-adaptive");

        // β = 0: the proxy climbs far, the KL runs away, gold falls to the floor, grammar breaks.
        assertThat(free.path("reward").asDouble()).isGreaterThan(held.path("reward").asDouble() + 2);
        assertThat(free.path("kl_k3_seq").asDouble()).isGreaterThan(20);
        assertThat(free.path("gold_reward").asDouble()).isLessThan(-1.5);
        assertThat(free.path("grammatical_rate").asDouble()).isLessThan(0.2);
        // Adaptive β, target 3 nats per sequence: KL near the target, text intact, gold far above β = 0's
        // and above the base model's (its evaluation at iteration 0).
        assertThat(held.path("kl_k3_seq").asDouble()).isBetween(1.5, 6.0);
        assertThat(held.path("grammatical_rate").asDouble()).isGreaterThan(0.8);
        assertThat(held.path("gold_reward").asDouble()).isGreaterThan(free.path("gold_reward").asDouble() + 1);
        JsonNode base = new ObjectMapper().readTree(Files.readAllBytes(tmp.resolve("demo-quick/beta-adaptive-evaluate-0/evaluation/evaluation.json")));
        assertThat(base.path("iteration").asInt()).isZero();
        assertThat(held.path("gold_reward").asDouble()).isGreaterThan(base.path("metrics").path("gold_reward").asDouble() + 0.1);
    }

    private static JsonNode arm(JsonNode comparison, String label) {
        for (JsonNode a : comparison.path("arms")) {
            if (a.path("label").asText().equals(label)) {
                return a.path("metrics");
            }
        }
        throw new AssertionError("no arm " + label + " in " + comparison);
    }
}
