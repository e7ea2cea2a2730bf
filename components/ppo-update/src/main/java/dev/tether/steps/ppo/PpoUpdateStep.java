package dev.tether.steps.ppo;

import dev.tether.core.nd.Scalars;
import static dev.tether.step.ParameterSpec.choice;
import static dev.tether.step.ParameterSpec.optional;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.advantage.Gae;
import dev.tether.core.advantage.Whitening;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.beta.BetaController;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlLoss;
import dev.tether.core.kl.KlPenalizedReward;
import dev.tether.core.kl.KlStats;
import dev.tether.core.masked.Masked;
import dev.tether.core.ppo.ExplainedVariance;
import dev.tether.core.ppo.PolicyLoss;
import dev.tether.core.ppo.ValueLoss;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.checkpoint.TrainerState;
import dev.tether.models.generate.TokenScorer;
import dev.tether.models.nn.Parameters;
import dev.tether.models.nn.ValueHead;
import dev.tether.models.train.AdamW;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Progress;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import dev.tether.step.StepGuardException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The KL-penalized PPO update, in the order CleanRL and TRL do it: per-token KL against the frozen
 * reference, the KL-penalized reward (or KL as a loss), GAE, advantage whitening, then epochs of
 * minibatch updates with the clipped surrogate, the clipped value loss and entropy, gradient-norm
 * clipping, AdamW. β comes from the policy's trainer state (or the {@code beta} parameter on the
 * first update), its controller observes this batch's KL, and the new β goes into the checkpoint.
 * Guards stop the update before anything is written: KL past its budget or jumping against its
 * history, a non-finite loss or gradient.
 */
public final class PpoUpdateStep implements Step {

    public static final StepDefinition DEFINITION = StepDefinition.builder("ppo-update")
            .description("One KL-penalized PPO update of the policy on a scored rollout.")
            .input(ArtifactPort.of("policy", Schemas.POLICY, ArtifactKind.MODEL, "The policy that sampled the rollout (with its critic, optimizer and β state)."))
            .input(ArtifactPort.of("rollout", Schemas.ROLLOUT, ArtifactKind.DATASET, "Sampled responses with their log-probs and values."))
            .input(ArtifactPort.of("scores", Schemas.SCORES, ArtifactKind.DATASET, "The reward model's score of each response."))
            .input(ArtifactPort.of("ref_logprobs", Schemas.REF_LOGPROBS, ArtifactKind.DATASET, "The frozen reference's log-prob of each response token."))
            .output(ArtifactPort.of("updated_policy", Schemas.POLICY, ArtifactKind.MODEL, "The next policy checkpoint, with β and optimizer state."))
            .parameter(optional("seed", ParamType.INT, "0", "Seed for minibatch shuffling."))
            .parameter(optional("beta", ParamType.DOUBLE, "0.05", "Initial β, used when the policy carries no β state yet (the first update)."))
            .parameter(choice("kl_controller", "adaptive", "How β moves: fixed, or Ziegler's adaptive controller.", "fixed", "adaptive"))
            .parameter(optional("kl_target", ParamType.DOUBLE, "6", "KL the adaptive controller steers to, in kl_target_unit."))
            .parameter(choice("kl_target_unit", "kl_seq", "kl_seq: nats per sequence (TRL); kl_token: nats per token (veRL).", "kl_seq", "kl_token"))
            .parameter(optional("kl_horizon", ParamType.DOUBLE, "10000", "Adaptive controller horizon, in samples."))
            .parameter(choice("kl_estimator", "k1", "Per-token KL estimator in the reward.", "k1", "k2", "k3", "abs"))
            .parameter(choice("kl_mode", "reward", "KL as a per-token reward penalty (Ziegler, TRL) or as a loss term (GRPO).", "reward", "loss"))
            .parameter(choice("kl_loss", "k3-st", "With kl_mode=loss: k2, or k3 with the straight-through gradient.", "k2", "k3-st"))
            .parameter(optional("kl_budget", ParamType.DOUBLE, "0", "Stop without writing when KL (in kl_target_unit) passes this; 0 = no budget."))
            .parameter(optional("kl_jump_ratio", ParamType.DOUBLE, "0", "Stop when KL passes this × the median of recent iterations; 0 = off."))
            .parameter(optional("gamma", ParamType.DOUBLE, "1.0", "Discount."))
            .parameter(optional("lam", ParamType.DOUBLE, "0.95", "GAE λ."))
            .parameter(choice("whiten_advantages", "shift", "shift: (A − μ)/σ; scale: A/σ (keeps the sign; robust on near-deterministic text); none.", "shift", "scale", "none"))
            .parameter(optional("cliprange", ParamType.DOUBLE, "0.2", "PPO ratio clip ε."))
            .parameter(optional("cliprange_value", ParamType.DOUBLE, "0.2", "Value clip; 0 = unclipped."))
            .parameter(optional("dual_clip", ParamType.DOUBLE, "0", "Dual-clip c > 1 for negative advantages; 0 = off."))
            .parameter(optional("vf_coef", ParamType.DOUBLE, "0.1", "Weight of the value loss."))
            .parameter(optional("ent_coef", ParamType.DOUBLE, "0", "Weight of the entropy bonus."))
            .parameter(optional("learning_rate", ParamType.DOUBLE, "1e-5", "AdamW learning rate (on the first update; later updates keep the checkpoint's optimizer settings)."))
            .parameter(optional("critic_learning_rate", ParamType.DOUBLE, "0", "Separate critic's learning rate; 0 = learning_rate."))
            .parameter(optional("ppo_epochs", ParamType.INT, "4", "Passes over the rollout."))
            .parameter(optional("num_minibatches", ParamType.INT, "1", "Minibatches per pass."))
            .parameter(optional("max_grad_norm", ParamType.DOUBLE, "1.0", "Gradient-norm clip."))
            .parameter(optional("missing_eos_penalty", ParamType.DOUBLE, "0", "Subtracted from the score of responses without EOS."))
            .parameter(optional("score_clip", ParamType.DOUBLE, "0", "Clip scores to ±this; 0 = no clip."))
            .parameter(choice("loss_aggregation", "token-mean", "How per-token losses are averaged.", "token-mean", "seq-mean-token-mean"))
            .parameter(choice("critic", "separate", "The critic: a separate copy of the policy with its own value head (robust; twice the model state), "
                    + "or a value head on the policy's trunk (half the memory). Used when the policy artifact has no critic yet.", "separate", "shared"))
            .parameter(optional("critic_warmup", ParamType.INT, "0", "Iterations at the start of training that update only the critic (the policy and β stay put)."))
            .outputParameter("kl", ParamType.DOUBLE, "The rollout's KL to the reference, in kl_target_unit.")
            .outputParameter("reward", ParamType.DOUBLE, "Mean score of the rollout.")
            .outputParameter("beta", ParamType.DOUBLE, "β after this update (what the next iteration uses).")
            .reportsMetrics()
            .resources(Resources.cpu("2", "4Gi"))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) {
        PpoSettings s = PpoSettings.from(ctx);
        ArtifactReader rolloutArtifact = ctx.input("rollout");
        ArtifactReader.requireMadeFrom(ctx.input("scores"), "rollout", rolloutArtifact);
        ArtifactReader.requireMadeFrom(ctx.input("ref_logprobs"), "rollout", rolloutArtifact);
        RolloutBatch rollout;
        float temperature;
        long eosId;
        try (SafetensorsFile f = rolloutArtifact.safetensors(RolloutBatch.FILE_NAME)) {
            rollout = RolloutBatch.read(f);
            temperature = RolloutMetadata.temperature(f);
            eosId = RolloutMetadata.eosTokenId(f);
        }
        int n = rollout.batch();
        int len = rollout.responseLength();
        float[] scores;
        try (SafetensorsFile f = ctx.input("scores").safetensors(SequenceScores.SCORES_FILE)) {
            scores = SequenceScores.readScores(f, n);
        }
        float[] refLogprobs;
        try (SafetensorsFile f = ctx.input("ref_logprobs").safetensors(SequenceScores.REF_LOGPROBS_FILE)) {
            refLogprobs = SequenceScores.readRefLogprobs(f, n, len);
        }

        try (NDManager nd = NDManager.newBaseManager()) {
            Path policyDir = ctx.input("policy").dir();
            Checkpoint policy = PolicyArtifact.readPolicy(policyDir, nd);
            Optional<Checkpoint> critic = PolicyArtifact.readCritic(policyDir, nd);
            if (critic.isEmpty() && s.separateCritic()) {
                if (policy.trainerState().isPresent()) {
                    throw new IllegalArgumentException("critic=separate, but " + policyDir + " was trained with a shared critic (it has a trainer state and no "
                            + PolicyArtifact.CRITIC_DIR + "/); pass --critic shared");
                }
                critic = Optional.of(newCritic(policyDir, nd, s.seed()));
            }
            boolean shared = critic.isEmpty();
            ValueHead head = shared
                    ? policy.valueHead().orElseGet(() -> zeroValueHead(nd, policy.model().config().hiddenSize()))
                    : critic.get().valueHead().orElseThrow();
            KlHistory history = policy.trainerState()
                    .map(t -> KlHistory.fromJson(t.beta(), ctx.input("policy").dir().toString()))
                    .orElseGet(() -> KlHistory.start(s.initialController()));
            long iteration = policy.trainerState().map(TrainerState::iteration).orElse(0L);
            double beta = history.controller().beta();

            Shape shape = new Shape(n, len);
            NDArray mask = nd.create(rollout.responseMask(), shape).toType(DataType.FLOAT32, false);
            NDArray oldLogprobs = nd.create(rollout.logprobs(), shape);
            NDArray ref = nd.create(refLogprobs, shape);
            NDArray oldValues = nd.create(rollout.values(), shape);

            // KL of the policy that sampled, against the reference: the quantity β controls.
            NDArray klPerToken = Masked.zeroPadding(s.klEstimator().perToken(oldLogprobs, ref), mask);
            KlStats kl = KlStats.of(klPerToken, mask);
            KlStats klK1 = KlStats.of(KlEstimator.K1.perToken(oldLogprobs, ref), mask);
            KlStats klK3 = KlStats.of(KlEstimator.K3.perToken(oldLogprobs, ref), mask);
            double klInUnit = kl.in(s.klTarget().unit());
            s.guard().check(klInUnit, history);
            warnIfNegative(ctx, klK1, klK3);

            NDArray responseIds = nd.create(rollout.responseIds(), shape);
            NDArray hasEos = KlPenalizedReward.hasEos(responseIds, mask, eosId);
            NDArray shaped = KlPenalizedReward.shapeScores(nd.create(scores), hasEos, s.missingEosPenalty(), s.scoreClip());
            NDArray rewards = KlPenalizedReward.tokenRewards(shaped, klPerToken, mask, s.klInReward() ? beta : 0.0);
            requireFinite("rewards", rewards);
            Gae.Result gae = Gae.compute(rewards, oldValues, mask, s.gamma(), s.lambda());
            NDArray advantages = switch (s.whiten()) {
                case "shift" -> Whitening.whiten(gae.advantages(), mask, true);
                case "scale" -> Whitening.whiten(gae.advantages(), mask, false);
                default -> gae.advantages();
            };
            float[] adv = advantages.toFloatArray();
            float[] returns = gae.returns().toFloatArray();
            double explainedVariance = ExplainedVariance.of(oldValues, gae.returns(), mask);

            // During the critic warm-up only the critic moves: the whole separate critic, or just the
            // value head on a shared trunk (the trunk is the policy).
            boolean warmup = iteration < s.criticWarmup();
            Map<String, NDArray> policyParams = new LinkedHashMap<>(policy.model().parameters().asMap());
            Map<String, NDArray> criticParams = new LinkedHashMap<>();
            if (shared) {
                (warmup ? criticParams : policyParams).putAll(head.parameters().asMap());
            } else {
                criticParams.putAll(critic.get().model().parameters().asMap());
                criticParams.putAll(head.parameters().asMap());
            }
            AdamW adam = policy.optimizer().orElseGet(() -> new AdamW(nd, AdamW.Settings.defaults().withLearningRate(s.learningRate())));
            Optional<AdamW> criticAdam = shared
                    ? (warmup ? Optional.of(new AdamW(nd, AdamW.Settings.defaults().withLearningRate(s.criticLearningRate()))) : Optional.empty())
                    : critic.map(c -> c.optimizer().orElseGet(() -> new AdamW(nd, AdamW.Settings.defaults().withLearningRate(s.criticLearningRate()))));
            policyParams.values().forEach(a -> a.setRequiresGradient(true));
            criticParams.values().forEach(a -> a.setRequiresGradient(true));

            Accumulator acc = new Accumulator();
            SplittableRandom rng = new SplittableRandom(s.seed() * 1_000_003L + iteration);
            int mbSize = Math.max(1, n / s.minibatches());
            Progress progress = ctx.progress("update", (long) s.epochs() * s.minibatches());
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                int[] order = permutation(n, rng);
                for (int b = 0; b < s.minibatches(); b++) {
                    int from = b * mbSize;
                    int to = b == s.minibatches() - 1 ? n : Math.min(n, from + mbSize);
                    if (from >= to) {
                        progress.step();
                        continue;
                    }
                    int[] rows = java.util.Arrays.copyOfRange(order, from, to);
                    try (NDManager m = nd.newSubManager()) {
                        minibatch(m, s, policy, shared ? head : null, critic, head, rollout.rows(rows), pick(adv, rows, len),
                                pick(returns, rows, len), pick(refLogprobs, rows, len), temperature, beta, warmup, acc);
                    }
                    if (warmup) {
                        zeroGradients(policyParams); // computed through the shared trunk, but not applied
                    } else {
                        double norm = AdamW.clipGradientNorm(policyParams, s.maxGradNorm());
                        requireFinite("policy gradient norm", norm);
                        acc.gradNorm += norm;
                        adam.step(policyParams);
                    }
                    if (criticAdam.isPresent()) {
                        double criticNorm = AdamW.clipGradientNorm(criticParams, s.maxGradNorm());
                        if (System.getenv("TETHER_DEBUG") != null) {
                            ctx.log().println("critic grad norm " + criticNorm + " value_loss " + acc.valueLoss / acc.count);
                        }
                        requireFinite("critic gradient norm", criticNorm);
                        criticAdam.get().step(criticParams);
                    }
                    progress.advance(1, String.format(Locale.ROOT, "loss %.4f", acc.lastLoss));
                }
            }

            // β only answers to a policy that moved: during the critic warm-up it stays.
            BetaController nextController = warmup ? history.controller() : history.controller().next(kl, n);
            double meanScore = mean(scores);
            ObjectNode logEntry = JsonNodeFactory.instance.objectNode()
                    .put("iteration", iteration).put("beta", beta).put("beta_next", nextController.beta())
                    .put("kl_seq", kl.klSeq()).put("kl_token", kl.klToken()).put("score", meanScore);
            KlHistory nextHistory = history.next(nextController, klInUnit, logEntry);
            TrainerState state = new TrainerState(iteration + 1, s.seed(), nextHistory.toJson());
            Checkpoint updated = policy.withOptimizer(adam).withTrainerState(state);
            if (shared) {
                updated = updated.withValueHead(head);
            }
            Optional<Checkpoint> updatedCritic = shared ? Optional.empty() : critic.map(c -> c.withOptimizer(criticAdam.orElseThrow()));
            try (ArtifactWriter w = ctx.writer("updated_policy")) {
                PolicyArtifact.write(w.dir(), updated, updatedCritic);
                w.commit();
            }

            float[] shapedScores = shaped.toFloatArray();
            ctx.outputParameter("kl", klInUnit);
            ctx.outputParameter("reward", meanScore);
            ctx.outputParameter("beta", nextController.beta());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("iteration", (double) iteration);
            metrics.put("kl_seq", kl.klSeq());
            metrics.put("kl_token", kl.klToken());
            metrics.put("kl_k1_seq", klK1.klSeq());
            metrics.put("kl_k3_seq", klK3.klSeq());
            metrics.put("beta", beta);
            metrics.put("beta_next", nextController.beta());
            metrics.put("score_mean", meanScore);
            metrics.put("reward_mean", mean(shapedScores) - (s.klInReward() ? beta * kl.klSeq() : 0));
            metrics.put("reward_std", std(shapedScores));
            metrics.put("entropy", acc.entropy / acc.count);
            metrics.put("approx_kl", acc.approxKl / acc.count);
            metrics.put("clipfrac", acc.clipfrac / acc.count);
            metrics.put("policy_loss", acc.policyLoss / acc.count);
            metrics.put("value_loss", acc.valueLoss / acc.count);
            metrics.put("vf_clipfrac", acc.vfClipfrac / acc.count);
            metrics.put("grad_norm", acc.gradNorm / acc.count);
            if (Double.isFinite(explainedVariance)) {
                metrics.put("explained_variance", explainedVariance);
            }
            metrics.put("response_length", Masked.sum(mask, mask).getFloat() / (double) n);
            metrics.put("eos_rate", (double) hasEos.toType(DataType.FLOAT32, false).mean().getFloat());
            ctx.metrics(metrics);
            ctx.log().printf(Locale.ROOT, "ppo-update: iteration %d, %s %.4f nats, β %.4g → %.4g, score %.4f%n",
                    iteration, s.klTarget().unit().id(), klInUnit, beta, nextController.beta(), meanScore);
        }
    }

    /** Forward, losses and backward for one minibatch; gradients are left on the parameters. */
    private static void minibatch(NDManager m, PpoSettings s, Checkpoint policy, ValueHead sharedHead,
            Optional<Checkpoint> critic, ValueHead criticHead, RolloutBatch mb, float[] adv, float[] returns,
            float[] ref, float temperature, double beta, boolean warmup, Accumulator acc) {
        int b = mb.batch();
        Shape q = new Shape(b, mb.queryLength());
        Shape r = new Shape(b, mb.responseLength());
        NDArray queryIds = m.create(mb.queryIds(), q);
        NDArray queryMask = m.create(mb.queryMask(), q);
        NDArray responseIds = m.create(mb.responseIds(), r);
        NDArray responseMaskInt = m.create(mb.responseMask(), r);
        NDArray mask = responseMaskInt.toType(DataType.FLOAT32, false);
        NDArray oldLogprobs = m.create(mb.logprobs(), r);
        NDArray oldValues = m.create(mb.values(), r);
        NDArray advantages = m.create(adv, r);
        NDArray ret = m.create(returns, r);
        NDArray refLogprobs = m.create(ref, r);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            TokenScorer.Scores sc = TokenScorer.score(policy.model(), sharedHead, queryIds, queryMask, responseIds, responseMaskInt, temperature);
            NDArray values = sharedHead != null
                    ? sc.values()
                    : TokenScorer.score(critic.orElseThrow().model(), criticHead, queryIds, queryMask, responseIds, responseMaskInt, temperature).values();
            PolicyLoss pl = PolicyLoss.clippedSurrogate(sc.logprobs(), oldLogprobs, advantages, mask,
                    s.cliprange(), s.cliprange(), s.dualClip(), s.aggregation());
            ValueLoss vl = ValueLoss.clipped(values, oldValues, ret, mask, s.cliprangeValue(), s.aggregation());
            NDArray entropy = Masked.mean(sc.entropy(), mask);
            NDArray valueTerm = Scalars.times(vl.loss(), s.vfCoef());
            NDArray loss = warmup ? valueTerm : pl.loss().add(valueTerm).sub(Scalars.times(entropy, s.entCoef()));
            if (!warmup && !s.klInReward()) {
                NDArray klLoss = s.klLossStraightThrough()
                        ? KlLoss.k3StraightThrough(sc.logprobs(), refLogprobs, mask)
                        : KlLoss.k2(sc.logprobs(), refLogprobs, mask);
                loss = loss.add(Scalars.times(klLoss, beta));
            }
            float l = loss.getFloat();
            requireFinite("loss", l);
            gc.backward(loss);
            acc.add(l, pl, vl, entropy.getFloat());
        }
    }

    /** A separate critic for the first update: an independent copy of the policy with a zero value head (V = 0 to start). */
    private static Checkpoint newCritic(Path policyDir, NDManager nd, long seed) {
        Checkpoint copy = PolicyArtifact.readPolicy(policyDir, nd);
        ValueHead head = zeroValueHead(nd, copy.model().config().hiddenSize());
        return Checkpoint.of(copy.model()).withValueHead(head).withTokenizerFiles(copy.tokenizerFiles());
    }

    private static ValueHead zeroValueHead(NDManager nd, int hidden) {
        NDManager m = nd.newSubManager();
        Map<String, NDArray> zeros = new LinkedHashMap<>();
        ValueHead.parameterShapes(hidden).forEach((name, shape) -> zeros.put(name, m.zeros(shape)));
        return new ValueHead(Parameters.of(m, ValueHead.parameterShapes(hidden), zeros));
    }

    private static void zeroGradients(Map<String, NDArray> params) {
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();
            g.muli(0);
            g.close();
        }
    }

    private static void warnIfNegative(StepContext ctx, KlStats k1, KlStats k3) {
        // Under exact on-policy sampling E[k1] = KL ≥ 0; a clearly negative mean almost always means
        // the stored log-probs and the reference's come from different distributions.
        if (k1.klToken() < -1e-3) {
            ctx.log().printf(Locale.ROOT,
                    "ppo-update: warning: mean k1 KL is %.4f nats/token (%.4f nats/seq), below zero. That usually means the rollout's "
                            + "log-probs and the reference's were computed under different distributions (temperature, top-k/top-p "
                            + "filtering, a different tokenizer or model). The k3 estimate is %.4f nats/token.%n",
                    k1.klToken(), k1.klSeq(), k3.klToken());
            ctx.metric("kl_k1_negative", 1);
        }
    }

    private static void requireFinite(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new StepGuardException(what + " is " + v + ": refusing to update (no checkpoint written)");
        }
    }

    private static void requireFinite(String what, NDArray a) {
        float[] v = a.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new StepGuardException(what + " holds " + v[i] + " at flat index " + i + ": refusing to update (no checkpoint written)");
            }
        }
    }

    private static float[] pick(float[] flat, int[] rows, int len) {
        float[] out = new float[rows.length * len];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(flat, rows[i] * len, out, i * len, len);
        }
        return out;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double std(float[] v) {
        double mu = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - mu) * (x - mu);
        }
        return v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
    }

    /** Running sums of the minibatch diagnostics. */
    private static final class Accumulator {
        double policyLoss;
        double valueLoss;
        double entropy;
        double approxKl;
        double clipfrac;
        double vfClipfrac;
        double gradNorm;
        double lastLoss;
        int count;

        void add(double loss, PolicyLoss pl, ValueLoss vl, double ent) {
            lastLoss = loss;
            policyLoss += pl.loss().getFloat();
            valueLoss += vl.loss().getFloat();
            entropy += ent;
            approxKl += pl.approxKl();
            clipfrac += pl.clipfrac();
            vfClipfrac += vl.clipfrac();
            count++;
        }
    }
}
