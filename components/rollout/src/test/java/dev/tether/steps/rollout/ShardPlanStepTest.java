package dev.tether.steps.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.step.StepCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shard-plan: num_shards → [0 … num_shards-1], the list KFP's ParallelFor iterates over. */
class ShardPlanStepTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StepCli.execute(new ShardPlanStep(), args, new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String plan(int n) throws IOException {
        Path out = tmp.resolve("out-" + n);
        assertThat(run("--num_shards", Integer.toString(n), StepCli.ARGO_OUTPUTS, out.toString())).isZero();
        return Files.readString(out.resolve(ShardPlanStep.SHARD_INDICES), StandardCharsets.UTF_8).trim();
    }

    @Test
    void plansOneShard() throws IOException {
        assertThat(plan(1)).isEqualTo("[0]");
        assertThat(ShardPlanStep.indices(1)).containsExactly(0L);
    }

    @Test
    void plansThreeShards() throws IOException {
        assertThat(plan(3)).isEqualTo("[0,1,2]");
        assertThat(ShardPlanStep.indices(3)).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aCountBelowOneIsExitTwoNamingTheParameter() {
        assertThat(run("--num_shards", "0", StepCli.ARGO_OUTPUTS, tmp.resolve("zero").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("tether shard-plan: num_shards: expected a shard count from 1");
        assertThat(tmp.resolve("zero").resolve(ShardPlanStep.SHARD_INDICES)).doesNotExist();
    }

    @Test
    void aNegativeOrHugeCountIsExitTwo() {
        assertThat(run("--num_shards", "-3")).isEqualTo(2);
        assertThat(run("--num_shards", "1000000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("got -3").contains("got 1000000");
    }

    @Test
    void aCountThatIsNoIntegerIsExitTwo() {
        assertThat(run("--num_shards", "three")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("num_shards").contains("three");
    }

    @Test
    void theCountIsRequired() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("num_shards");
    }
}
