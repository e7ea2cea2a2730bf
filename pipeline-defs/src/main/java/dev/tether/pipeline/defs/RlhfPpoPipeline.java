package dev.tether.pipeline.defs;

import static dev.tether.pipeline.ArtifactSource.pipelineInput;

import dev.tether.core.formats.Schemas;
import dev.tether.pipeline.ArtifactSource;
import dev.tether.pipeline.ParameterSource;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineBuilder;
import dev.tether.pipeline.PipelineProvider;
import dev.tether.pipeline.TaskBuilder;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Sharding;
import dev.tether.steps.ppo.PpoUpdateStep;
import dev.tether.steps.reference.ReferenceStep;
import dev.tether.steps.reward.MergeScoresStep;
import dev.tether.steps.reward.RewardStep;
import dev.tether.steps.rollout.MergeRolloutStep;
import dev.tether.steps.rollout.RolloutStep;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The product's pipeline: {@code iterations} PPO iterations unrolled, each
 * rollout → reward (both fanned out over the run's {@value #NUM_SHARDS} prompt shards, each
 * shard scored as it is sampled, then merged) ‖ reference → ppo-update, the updated policy feeding the next iteration. What a user uploads to KFP or installs as an Argo
 * WorkflowTemplate, and what {@code tether run rlhf-ppo} runs here.
 */
public final class RlhfPpoPipeline implements PipelineProvider {
    public static final String NAME = "rlhf-ppo";
    /** The pipeline parameter holding the shard count of every rollout fan-out. */
    public static final String NUM_SHARDS = Sharding.NUM_SHARDS;

    /** The ppo-update settings a run exposes as pipeline parameters (the rest keep the step's defaults). */
    static final List<String> PPO_PARAMETERS = List.of("beta", "kl_controller", "kl_target", "kl_target_unit", "kl_horizon",
            "kl_budget", "kl_jump_ratio", "learning_rate", "critic_learning_rate", "ppo_epochs", "num_minibatches", "whiten_advantages", "critic",
            "critic_warmup", "vf_coef", "cliprange");
    static final List<String> ROLLOUT_PARAMETERS = List.of("max_new_tokens", "temperature", "samples_per_prompt");

    private final int iterations;
    private final int shards;

    public RlhfPpoPipeline() {
        this(3, 2);
    }

    /** @param shards the default of {@value #NUM_SHARDS}; a run may set another */
    public RlhfPpoPipeline(int iterations, int shards) {
        this.iterations = iterations;
        this.shards = shards;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Pipeline pipeline() {
        PipelineBuilder p = Pipeline.builder(NAME)
                .description("KL-penalized PPO: " + iterations + " iterations of rollout → reward (over " + NUM_SHARDS
                        + " prompt shards, merged) ‖ reference → ppo-update.")
                .input(ArtifactPort.of("policy", Schemas.POLICY, ArtifactKind.MODEL, "The starting policy checkpoint."))
                .input(ArtifactPort.of("prompts", Schemas.PROMPTS, ArtifactKind.DATASET, "Training prompts."))
                .input(ArtifactPort.of("reward_model", Schemas.REWARD_MODEL, ArtifactKind.MODEL, "The reward model (ONNX)."))
                .input(ArtifactPort.of("reference_policy", Schemas.POLICY, ArtifactKind.MODEL, "The frozen reference (usually the starting policy)."));
        p.parameter(NUM_SHARDS, ParamType.INT, Integer.toString(shards),
                "How many prompt shards each iteration's rollout and reward scoring fan out over (parallel tasks, merged before the update).");
        p.parameter(RolloutStep.DEFINITION.parameter("seed").orElseThrow());
        ROLLOUT_PARAMETERS.forEach(n -> p.parameter(RolloutStep.DEFINITION.parameter(n).orElseThrow()));
        PPO_PARAMETERS.forEach(n -> p.parameter(PpoUpdateStep.DEFINITION.parameter(n).orElseThrow()));
        rlhfLoop(p, iterations, ParameterSource.pipelineParameter(NUM_SHARDS), pipelineInput("policy"), pipelineInput("prompts"),
                pipelineInput("reward_model"), pipelineInput("reference_policy"), "", ParameterSource::pipelineParameter, (i, policy) -> { });
        return p.build();
    }

    /**
     * Adds the unrolled loop to {@code p} and returns the last policy. Each rollout and its scoring
     * fan out over {@code shards} and are merged; with null, they run once, unsharded. {@code prefix} keeps task names
     * apart when a pipeline holds several loops (the demo's two arms), and {@code parameters} says
     * where each step parameter comes from (a pipeline parameter, or an arm's own constant);
     * {@code afterIteration} sees the policy after each iteration (1-based), e.g. to evaluate it.
     */
    static ArtifactSource rlhfLoop(PipelineBuilder p, int iterations, ParameterSource shards, ArtifactSource policy0, ArtifactSource prompts,
            ArtifactSource rewardModel, ArtifactSource reference, String prefix, Function<String, ParameterSource> parameters,
            BiConsumer<Integer, ArtifactSource> afterIteration) {
        return p.unroll(iterations, policy0, (i, policy) -> {
            Consumer<TaskBuilder> wiring = t -> {
                t.input("policy", policy).input("prompts", prompts).set("iteration", i)
                        .parameter("seed", parameters.apply("seed"));
                ROLLOUT_PARAMETERS.forEach(n -> t.parameter(n, parameters.apply(n)));
            };
            ArtifactSource rollout;
            ArtifactSource scores;
            if (shards == null) {
                TaskBuilder t = p.task(prefix + "rollout-" + i, RolloutStep.DEFINITION);
                wiring.accept(t);
                rollout = t.output("rollout");
                scores = p.task(prefix + "reward-" + i, RewardStep.DEFINITION)
                        .input("rollout", rollout).input("reward_model", rewardModel).output("scores");
            } else {
                // Per shard: rollout, then reward on that shard's rollout; both merged in shard order.
                TaskBuilder sharded = p.fanOut(prefix + "rollout-" + i, RolloutStep.DEFINITION, shards, wiring);
                TaskBuilder reward = p.fanOut(prefix + "reward-" + i, RewardStep.DEFINITION, shards,
                        t -> t.input("rollout", sharded.sameShard("rollout")).input("reward_model", rewardModel));
                rollout = p.task(prefix + "merge-rollout-" + i, MergeRolloutStep.DEFINITION)
                        .input(MergeRolloutStep.ROLLOUTS, sharded.shards("rollout")).output("rollout");
                scores = p.task(prefix + "merge-scores-" + i, MergeScoresStep.DEFINITION)
                        .input(MergeScoresStep.ROLLOUT, rollout)
                        .input(MergeScoresStep.ROLLOUTS, sharded.shards("rollout"))
                        .input(MergeScoresStep.SHARD_SCORES, reward.shards("scores")).output("scores");
            }
            TaskBuilder ref = p.task(prefix + "reference-" + i, ReferenceStep.DEFINITION)
                    .input("rollout", rollout).input("reference_policy", reference);
            TaskBuilder update = p.task(prefix + "ppo-update-" + i, PpoUpdateStep.DEFINITION)
                    .input("policy", policy)
                    .input("rollout", rollout)
                    .input("scores", scores)
                    .input("ref_logprobs", ref.output("ref_logprobs"))
                    .parameter("seed", parameters.apply("seed"));
            PPO_PARAMETERS.forEach(n -> update.parameter(n, parameters.apply(n)));
            afterIteration.accept(i + 1, update.output("updated_policy"));
            return update.output("updated_policy");
        });
    }
}
