package dev.tether.tasks.reviews;

import dev.tether.step.StepMain;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.List;

/** The tether-tasks image's entrypoint: the demo task's steps (reviews-data). */
@QuarkusMain
public class TasksMain implements QuarkusApplication {
    @Override
    public int run(String... args) {
        return StepMain.run(List.of(new ReviewsDataStep()), args, System.out, System.err);
    }
}
