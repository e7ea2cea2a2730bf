package dev.tether.steps.rewardtrain;

import dev.tether.step.StepCli;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The container entrypoint: the step's derived command line, exit code as the process's. */
@QuarkusMain
public class RewardTrainMain implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return StepCli.execute(new RewardTrainStep(), args, System.out, System.err);
    }
}
