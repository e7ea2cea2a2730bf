package dev.tether.pipeline.compile;

import dev.tether.step.StepDefinition;
import java.util.List;
import java.util.Map;

/**
 * What the compiled KFP and Argo specs assume of the step images (pipeline-defs/README.md):
 * <ul>
 *   <li>a step runs in image {@code <registry>/tether-<module>:<tag>}, where module is the Maven
 *       module under components/ that holds the step; a module's main step has the module's name
 *       (rollout, reward, reference, ppo-update, …);</li>
 *   <li>the image runs its steps with {@link #COMMAND}, which is also its ENTRYPOINT, and needs
 *       no shell. The specs name the command explicitly because KFP's launcher replaces the
 *       container's command and then runs {@code command + args} itself: an image entrypoint
 *       is never used there, so JVM settings belong in the image's environment, not in extra
 *       entrypoint flags;</li>
 *   <li>the command runs the module's main step; a module hosting more steps takes the step's
 *       name as the first argument ({@code dev.tether.step.StepMain}), e.g.
 *       {@code merge-rollout --rollouts DIR …} in the rollout image;</li>
 *   <li>the rest of the command line is the step's own ({@code dev.tether.step.StepCli}).</li>
 * </ul>
 */
public final class ImageContract {
    /** The JVM of the base image (containers/base, and eclipse-temurin's) running the Quarkus fast-jar. */
    public static final List<String> COMMAND = List.of("/opt/java/openjdk/bin/java", "-jar", "/deployments/quarkus-run.jar");

    /** Steps that live in another step's module, by step name; every other step's module is its name. */
    static final Map<String, String> HOSTED = Map.of("merge-rollout", "rollout", "shard-plan", "rollout", "merge-scores", "reward", "reviews-data", "tasks");

    private ImageContract() {}

    /** The Maven module (and image suffix) of {@code step}. */
    public static String module(StepDefinition step) {
        return HOSTED.getOrDefault(step.name(), step.name());
    }

    /** Arguments before the step's own options: its name where the module hosts it beside its main step. */
    public static List<String> leadingArguments(StepDefinition step) {
        return module(step).equals(step.name()) ? List.of() : List.of(step.name());
    }
}
