package dev.tether.steps.rollout;

import dev.tether.step.StepMain;
import java.util.List;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The rollout image's entrypoint: rollout by default, merge-rollout or shard-plan when named first. */
@QuarkusMain
public class RolloutMain implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return StepMain.run(List.of(new RolloutStep(), new MergeRolloutStep(), new ShardPlanStep()), args, System.out, System.err);
    }
}
