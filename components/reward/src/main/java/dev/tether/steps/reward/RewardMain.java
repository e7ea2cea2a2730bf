package dev.tether.steps.reward;

import dev.tether.step.StepMain;
import java.util.List;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The reward image's entrypoint: reward by default, merge-scores when named first. */
@QuarkusMain
public class RewardMain implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return StepMain.run(List.of(new RewardStep(), new MergeScoresStep()), args, System.out, System.err);
    }
}
