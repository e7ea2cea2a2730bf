package dev.tether.steps.rewardtrain;

import static dev.tether.step.ParameterSpec.choice;
import static dev.tether.step.ParameterSpec.optional;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.train.AdamW;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Progress;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import dev.tether.steps.reward.RewardConfig;
import dev.tether.steps.reward.RewardStep;
import dev.tether.steps.sft.data.BatchSampler;
import dev.tether.steps.sft.data.LineTokens;
import dev.tether.steps.sft.data.SpecialTokens;
import dev.tether.steps.sft.data.Split;
import dev.tether.steps.sft.data.TokenizerInput;
import dev.tether.steps.sft.train.Guards;
import dev.tether.steps.sft.train.ModelShape;
import dev.tether.steps.sft.train.ScheduledAdamW;
import dev.tether.steps.sft.train.StartingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a reward model from preference pairs (Bradley–Terry: −log σ(r_chosen − r_rejected)) or
 * labelled texts (logistic loss) and exports it as the ONNX sequence classifier the reward step
 * runs. Two kinds: {@code bow}, the demo's proxy reward — one weight per token, full-batch Adam
 * with an l2 penalty (DEMO-RECIPE.md: lr 0.05, 500 steps, 1e-3·‖w‖²); and {@code transformer}, a
 * causal LM trunk (a given policy's, e.g. the SFT model, or a new one) with a score row on the last
 * token, trained with AdamW. The tokenizer files are copied byte for byte, so the reward step
 * accepts the model beside a policy with the same tokenizer. With {@code normalize}, the mean and
 * standard deviation of the scores — over the training texts, or over {@code normalize_on}'s
 * responses as the reward step will see them — go into reward_config.json.
 */
public final class RewardTrainStep implements Step {
    public static final String ENGINE = "PyTorch";

    public static final StepDefinition DEFINITION = define();

    private static StepDefinition define() {
        StepDefinition.Builder b = StepDefinition.builder("reward-train")
            .description("Train a reward model on preference pairs or labelled texts and export it to ONNX.")
            .input(ArtifactPort.of("preferences", Schemas.PREFERENCES, ArtifactKind.DATASET,
                    "preferences.jsonl: {\"prompt\"?, \"chosen\", \"rejected\"} (or *_ids) per line; this or labeled_text.").asOptional())
            .input(ArtifactPort.of("labeled_text", Schemas.TEXT, ArtifactKind.DATASET,
                    "text.jsonl: {\"text\" or \"ids\", \"label\": 0|1} per line; this or preferences.").asOptional())
            .input(ArtifactPort.of("tokenizer", TokenizerInput.SCHEMA, ArtifactKind.ARTIFACT,
                    "tokenizer.json (+ companions); copied into the reward model.").asOptional())
            .input(ArtifactPort.of("init_policy", Schemas.POLICY, ArtifactKind.MODEL,
                    "transformer: the trunk to start from (e.g. the SFT policy); its tokenizer too.").asOptional())
            .input(ArtifactPort.of("normalize_on", Schemas.ROLLOUT, ArtifactKind.DATASET,
                    "With normalize: take mean and std over these responses (e.g. base-policy samples).").asOptional())
            .output(ArtifactPort.of("reward_model", Schemas.REWARD_MODEL, ArtifactKind.MODEL,
                    "model.onnx, tokenizer.json, reward_config.json, and the weights (config.json, model.safetensors)."))
            .parameter(optional("seed", ParamType.INT, "0", "Seed of the eval split, the batch order and new weights."))
            .parameter(choice("model_kind", RewardTrainSettings.BOW, "bow: a weight per token; transformer: an LM trunk with a score head.",
                    RewardTrainSettings.BOW, RewardTrainSettings.TRANSFORMER))
            .parameter(optional("steps", ParamType.INT, "500", "Optimizer steps."))
            .parameter(optional("batch_size", ParamType.INT, "0", "Records per step; 0 = all (full batch)."))
            .parameter(optional("learning_rate", ParamType.DOUBLE, "0.05", "Peak Adam(W) learning rate."))
            .parameter(choice("lr_schedule", "constant", "After the warm-up: constant, or cosine decay to 0.", "constant", "cosine"))
            .parameter(optional("warmup_steps", ParamType.INT, "0", "Linear warm-up from 0, in steps."))
            .parameter(optional("l2", ParamType.DOUBLE, "1e-3", "λ of the penalty λ·‖w‖² on the reward head (bow: all its weights)."))
            .parameter(optional("weight_decay", ParamType.DOUBLE, "0", "AdamW's decoupled weight decay (all trained weights)."))
            .parameter(optional("max_grad_norm", ParamType.DOUBLE, "0", "Clip the gradients' global norm to this; 0 = no clipping."))
            .parameter(optional("eval_fraction", ParamType.DOUBLE, "0.1", "Share of the records held out for eval_accuracy (at least one)."))
            .parameter(optional("normalize", ParamType.BOOL, "false",
                    "Write the score mean and std into reward_config.json: over normalize_on's responses if given, else over the training texts."))
            .parameter(optional("append_eos", ParamType.BOOL, "true", "Append EOS to encoded responses and texts (given ids are kept)."));
        ModelShape.parameters().forEach(b::parameter);
        SpecialTokens.parameters().forEach(b::parameter);
        return b.outputParameter("train_accuracy", ParamType.DOUBLE, "Share of training records the model gets right (ties count half).")
            .outputParameter("eval_accuracy", ParamType.DOUBLE, "Share of held-out records the model gets right (ties count half).")
            .reportsMetrics()
            .resources(Resources.cpu("2", "2Gi"))
            .build();
    }

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        RewardTrainSettings s = RewardTrainSettings.from(ctx);
        Optional<ArtifactReader> preferences = ctx.optionalInput("preferences");
        Optional<ArtifactReader> labeled = ctx.optionalInput("labeled_text");
        if (preferences.isPresent() == labeled.isPresent()) {
            throw new IllegalArgumentException("give exactly one of --preferences (pairs) and --labeled_text (labels); "
                    + (preferences.isPresent() ? "both were given" : "neither was given"));
        }
        Optional<ArtifactReader> normalizeOn = ctx.optionalInput("normalize_on");
        if (normalizeOn.isPresent() && !s.normalize()) {
            throw new IllegalArgumentException("normalize_on is given but normalize is false; set --normalize true to normalise over it");
        }
        Optional<ArtifactReader> initPolicy = ctx.optionalInput("init_policy");
        TokenizerInput tokenizer = TokenizerInput.resolve(ctx.optionalInput("tokenizer"), initPolicy);
        SpecialTokens special = SpecialTokens.fromParameters(ctx).or(policySpecial(initPolicy)).or(tokenizer.special());

        try (NDManager nd = NDManager.newBaseManager(ENGINE); RewardModel model = newModel(ctx, s, initPolicy, tokenizer, nd)) {
            int vocab = model.vocabSize();
            tokenizer.vocabulary().ifPresent(v -> v.requireFits(vocab, "the reward model"));
            special.requireWithin(vocab);
            int maxLength = model instanceof TransformerReward t ? t.trunk().config().maxPositionEmbeddings() : Integer.MAX_VALUE;
            Objective data;
            try (LineTokens tokens = LineTokens.open(tokenizer, vocab, special.eos(), s.appendEos())) {
                data = preferences.isPresent()
                        ? PreferencePairs.read(preferences.get().file(PreferencePairs.FILE_NAME), tokens, maxLength)
                        : LabeledTexts.read(labeled.get().file(LabeledTexts.FILE_NAME), tokens, maxLength);
            }
            String records = preferences.isPresent() ? "preference pairs" : "labelled texts";
            Split split = Split.of(data.size(), s.evalFraction(), s.seed() + 1, records);
            int pad = special.padOrEos();

            double firstLoss = train(ctx, s, model, data, split.train(), pad);
            Objective.Evaluation train = data.evaluate(model, split.train(), s.scoringBatch(), pad, nd);
            Objective.Evaluation eval = data.evaluate(model, split.eval(), s.scoringBatch(), pad, nd);
            Guards.requireFinite("final training loss", train.loss(), s.steps());

            Optional<Normalization> norm = Optional.empty();
            if (s.normalize()) {
                norm = Optional.of(normalizeOn.isPresent()
                        ? overRollout(normalizeOn.get(), tokenizer, model, s, nd)
                        : Normalization.of(Scoring.sequences(model, data.sequences(split.train()), s.scoringBatch(), pad, nd),
                                "the training " + records));
            }

            double onnxDiff = writeRewardModel(ctx, model, tokenizer, norm, data.sequences(split.eval()), pad, nd);

            ctx.outputParameter("train_accuracy", train.accuracy());
            ctx.outputParameter("eval_accuracy", eval.accuracy());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("train_accuracy", train.accuracy());
            metrics.put("eval_accuracy", eval.accuracy());
            metrics.put("loss", train.loss());
            metrics.put("eval_loss", eval.loss());
            metrics.put("first_loss", firstLoss);
            metrics.put("train_records", (double) split.train().length);
            metrics.put("eval_records", (double) split.eval().length);
            metrics.put("onnx_max_abs_diff", onnxDiff);
            norm.ifPresent(n -> {
                metrics.put("normalize_mean", n.mean());
                metrics.put("normalize_std", n.std());
                metrics.put("normalize_count", (double) n.count());
            });
            ctx.metrics(metrics);
            ctx.log().printf(Locale.ROOT, "reward-train: %s on %d %s, loss %.4f → %.4f, accuracy %.3f (train) %.3f (eval)%s%n",
                    s.modelKind(), data.size(), records, firstLoss, train.loss(), train.accuracy(), eval.accuracy(),
                    norm.map(n -> String.format(Locale.ROOT, ", normalised by mean %.4f std %.4f over %s", n.mean(), n.std(), n.over())).orElse(""));
        }
    }

    /**
     * model.onnx (checked against the trained model on {@code check}), the tokenizer files,
     * reward_config.json and the weights, committed together; returns the ONNX check's difference.
     */
    private static double writeRewardModel(StepContext ctx, RewardModel model, TokenizerInput tokenizer, Optional<Normalization> norm,
            List<int[]> check, int pad, NDManager nd) {
        try (ArtifactWriter w = ctx.writer("reward_model")) {
            Path onnx = w.dir().resolve(RewardStep.MODEL_FILE);
            model.toOnnx().write(onnx);
            double diff = ExportCheck.verify(onnx, model, check, pad, nd);
            tokenizer.files().forEach((name, bytes) -> AtomicFiles.write(w.dir().resolve(name), bytes));
            // What the reward step reads back must parse: checked by its own reader, at the producer.
            RewardConfig.read(w.writeJson(RewardConfig.FILE_NAME, rewardConfig(norm)));
            model.writeWeights(w.dir());
            w.commit();
            return diff;
        }
    }

    private static RewardModel newModel(StepContext ctx, RewardTrainSettings s, Optional<ArtifactReader> initPolicy,
            TokenizerInput tokenizer, NDManager nd) {
        if (s.modelKind().equals(RewardTrainSettings.TRANSFORMER)) {
            StartingModel start = StartingModel.forStep(ctx, initPolicy, tokenizer, nd, s.seed());
            return TransformerReward.withNewHead(start.model(), start.configJson(), nd, s.seed() + 3);
        }
        long requested = ctx.integer(ModelShape.VOCAB_SIZE);
        if (initPolicy.isPresent()) {
            // A bag of words only takes the policy's vocabulary (and tokenizer), not its weights.
            int vocab = CheckpointReader.readConfig(initPolicy.get().dir()).vocabSize();
            if (requested != 0 && requested != vocab) {
                throw new IllegalArgumentException(ModelShape.VOCAB_SIZE + ": " + requested + " was given, but init_policy's vocabulary is " + vocab);
            }
            return BagOfWordsReward.zeros(nd, vocab);
        }
        return BagOfWordsReward.zeros(nd, tokenizer.newModelVocabulary(requested, ModelShape.VOCAB_SIZE));
    }

    private static SpecialTokens policySpecial(Optional<ArtifactReader> initPolicy) {
        if (initPolicy.isEmpty()) {
            return SpecialTokens.none();
        }
        Path dir = initPolicy.get().dir();
        ModelConfig config = CheckpointReader.readConfig(dir);
        Path gen = dir.resolve(CheckpointReader.GENERATION_CONFIG);
        return SpecialTokens.fromPolicy(config, Files.isRegularFile(gen) ? Optional.of(GenerationConfig.read(gen)) : Optional.empty());
    }

    /** Runs the optimizer; returns the first step's loss. */
    private static double train(StepContext ctx, RewardTrainSettings s, RewardModel model, Objective data, int[] rows, int pad) {
        Map<String, NDArray> params = model.trainable();
        params.values().forEach(a -> a.setRequiresGradient(true));
        BatchSampler batches = new BatchSampler(rows, s.batchSize(), s.seed() + 2);
        double first = Double.NaN;
        Progress progress = ctx.progress("training", s.steps());
        NDManager parent = model.head().getManager();
        try (ScheduledAdamW adam = ScheduledAdamW.withDefaults(parent, s.weightDecay())) {
            for (int step = 0; step < s.steps(); step++) {
                int[] batch = batches.next();
                double loss;
                try (NDManager m = parent.newSubManager(); GradientCollector gc = Engine.getEngine(ENGINE).newGradientCollector()) {
                    NDArray l = data.loss(model, m, batch, pad);
                    if (s.l2() > 0) {
                        l = l.add(RewardLosses.l2(model.head(), s.l2()));
                    }
                    loss = l.getFloat();
                    Guards.requireFinite("training loss", loss, step + 1);
                    gc.backward(l);
                }
                double norm = AdamW.clipGradientNorm(params, s.maxGradNorm() > 0 ? s.maxGradNorm() : Double.POSITIVE_INFINITY);
                Guards.requireFinite("gradient norm", norm, step + 1);
                adam.step(params, s.schedule().at(step));
                if (step == 0) {
                    first = loss;
                }
                progress.advance(1, String.format(Locale.ROOT, "loss %.4f", loss));
            }
        }
        return first;
    }

    /** Mean and std of the raw scores of the rollout's rows, assembled as the reward step assembles them. */
    private static Normalization overRollout(ArtifactReader rollout, TokenizerInput tokenizer, RewardModel model, RewardTrainSettings s,
            NDManager nd) throws NoSuchAlgorithmException {
        RolloutBatch r;
        String rolloutTokenizer;
        try (SafetensorsFile f = rollout.safetensors(RolloutBatch.FILE_NAME)) {
            r = RolloutBatch.read(f);
            rolloutTokenizer = f.metadata().getOrDefault("tokenizer_sha256", "none");
        }
        byte[] ours = tokenizer.files().get(TokenizerInput.TOKENIZER_JSON);
        String digest = ours == null ? "none" : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ours));
        if (!digest.equals(rolloutTokenizer)) {
            throw new ArtifactException("normalize_on " + rollout.dir() + ": sampled by a policy whose tokenizer.json (sha256 " + rolloutTokenizer
                    + ") is not this reward model's (sha256 " + digest + "); the reward step would refuse them together");
        }
        RolloutSequences rows = RolloutSequences.of(r);
        float[] scores = Scoring.rows(model, rows.ids(), rows.mask(), rows.rows(), rows.length(), s.scoringBatch(), nd);
        return Normalization.of(scores, "the " + rows.rows() + " responses of normalize_on");
    }

    private static Map<String, Object> rewardConfig(Optional<Normalization> norm) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "logit");
        c.put("index", 0);
        norm.ifPresent(n -> c.put("normalize", n.json()));
        return c;
    }
}
