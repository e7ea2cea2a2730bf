package dev.tether.steps.sft;

import static dev.tether.step.ParameterSpec.choice;
import static dev.tether.step.ParameterSpec.optional;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.train.AdamW;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Progress;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import dev.tether.steps.sft.data.BatchSampler;
import dev.tether.steps.sft.data.LineTokens;
import dev.tether.steps.sft.data.PaddedBatch;
import dev.tether.steps.sft.data.SpecialTokens;
import dev.tether.steps.sft.data.Split;
import dev.tether.steps.sft.data.TokenizerInput;
import dev.tether.steps.sft.train.Guards;
import dev.tether.steps.sft.train.ModelShape;
import dev.tether.steps.sft.train.NextTokenLoss;
import dev.tether.steps.sft.train.ScheduledAdamW;
import dev.tether.steps.sft.train.StartingModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Supervised training of a policy on text: next-token cross-entropy with teacher forcing on the
 * non-padding tokens, AdamW with a linear warm-up and a cosine decay to 0, from a given policy or
 * from a fresh model of the size the parameters say (the defaults are the demo's base policy,
 * DEMO-RECIPE.md). The result is a plain policy checkpoint — config.json, model.safetensors,
 * generation_config.json with BOS/EOS/PAD, the tokenizer files — with no value head and no
 * optimizer state: PPO adds its own. A non-finite loss or gradient stops the step before anything
 * is written.
 */
public final class SftStep implements Step {
    public static final String ENGINE = "PyTorch";

    public static final StepDefinition DEFINITION = define();

    private static StepDefinition define() {
        StepDefinition.Builder b = StepDefinition.builder("sft")
            .description("Train a policy on text (next-token cross-entropy), from a given policy or a new model.")
            .input(ArtifactPort.of("text", Schemas.TEXT, ArtifactKind.DATASET, "text.jsonl: {\"text\": ...} or {\"ids\": [token ids]} per line."))
            .input(ArtifactPort.of("tokenizer", TokenizerInput.SCHEMA, ArtifactKind.ARTIFACT,
                    "tokenizer.json (+ tokenizer_config.json, special_tokens_map.json); copied into the policy.").asOptional())
            .input(ArtifactPort.of("init_policy", Schemas.POLICY, ArtifactKind.MODEL,
                    "Start from this policy (its tokenizer too) instead of a new model.").asOptional())
            .output(ArtifactPort.of("policy", Schemas.POLICY, ArtifactKind.MODEL, "The trained policy, without value head or optimizer state."))
            .parameter(optional("seed", ParamType.INT, "0", "Seed of the new model's weights, the eval split and the batch order."))
            .parameter(optional("steps", ParamType.INT, "3000", "Optimizer steps."))
            .parameter(optional("batch_size", ParamType.INT, "128", "Sequences per step."))
            .parameter(optional("learning_rate", ParamType.DOUBLE, "2e-3", "Peak AdamW learning rate."))
            .parameter(choice("lr_schedule", "cosine", "After the warm-up: cosine decay to 0 at the last step, or constant.", "cosine", "constant"))
            .parameter(optional("warmup_steps", ParamType.INT, "100", "Linear warm-up from 0, in steps."))
            .parameter(optional("weight_decay", ParamType.DOUBLE, "0", "AdamW's decoupled weight decay."))
            .parameter(optional("max_grad_norm", ParamType.DOUBLE, "0", "Clip the gradients' global norm to this; 0 = no clipping."))
            .parameter(optional("max_length", ParamType.INT, "0", "Cut longer sequences to this many tokens; 0 = the model's positions."))
            .parameter(optional("eval_fraction", ParamType.DOUBLE, "0.1", "Share of the lines held out for eval_loss (at least one line)."))
            .parameter(optional("append_eos", ParamType.BOOL, "true", "Append EOS to each encoded text (given ids are kept as they are)."));
        ModelShape.parameters().forEach(b::parameter);
        SpecialTokens.parameters().forEach(b::parameter);
        return b.outputParameter("loss", ParamType.DOUBLE, "Final mean next-token loss over the training lines, in nats per token.")
            .outputParameter("eval_loss", ParamType.DOUBLE, "Final mean next-token loss over the held-out lines, in nats per token.")
            .reportsMetrics()
            .resources(Resources.cpu("2", "2Gi"))
            .build();
    }

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) {
        SftSettings s = SftSettings.from(ctx);
        Optional<ArtifactReader> initPolicy = ctx.optionalInput("init_policy");
        TokenizerInput tokenizer = TokenizerInput.resolve(ctx.optionalInput("tokenizer"), initPolicy);

        try (NDManager nd = NDManager.newBaseManager(ENGINE); StartingModel start = StartingModel.forStep(ctx, initPolicy, tokenizer, nd, s.seed())) {
            CausalLM model = start.model();
            ModelConfig config = model.config();
            tokenizer.vocabulary().ifPresent(v -> v.requireFits(config.vocabSize(), start.fromPolicy() ? "init_policy (config.json vocab_size)" : "the model (vocab_size)"));
            SpecialTokens special = SpecialTokens.fromParameters(ctx).or(start.special()).or(tokenizer.special());
            special.requireWithin(config.vocabSize());
            if (special.eos().isEmpty()) {
                throw new IllegalArgumentException(SpecialTokens.EOS + ": no EOS id is known (not in the starting policy, not in the tokenizer's "
                        + "special_tokens_map.json); give one: a policy must be able to stop");
            }
            int maxLength = s.maxLength() == 0 ? config.maxPositionEmbeddings() : s.maxLength();
            if (maxLength > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("max_length: " + maxLength + " is more than the model's " + config.maxPositionEmbeddings() + " positions");
            }

            TextCorpus corpus;
            try (LineTokens tokens = LineTokens.open(tokenizer, config.vocabSize(), special.eos(), s.appendEos())) {
                corpus = TextCorpus.read(ctx.input("text").file(TextCorpus.FILE_NAME), tokens, maxLength);
            }
            Split split = Split.of(corpus.sequences().size(), s.evalFraction(), s.seed() + 1, "text lines");
            List<int[]> train = corpus.rows(split.train());
            List<int[]> eval = corpus.rows(split.eval());
            int pad = special.padOrEos();

            Training t = train(ctx, s, model, train, pad);
            double trainLoss = NextTokenLoss.mean(model, train, s.batchSize(), pad);
            double evalLoss = NextTokenLoss.mean(model, eval, s.batchSize(), pad);
            Guards.requireFinite("final training loss", trainLoss, s.steps());
            Guards.requireFinite("eval loss", evalLoss, s.steps());

            Checkpoint out = new Checkpoint(configJson(start, special), model, Optional.empty(),
                    Optional.of(generationConfig(start, special)), tokenizer.files(), Optional.empty(), Optional.empty());
            try (var w = ctx.writer("policy")) {
                PolicyArtifact.write(w.dir(), out, Optional.empty());
                w.commit();
            }

            ctx.outputParameter("loss", trainLoss);
            ctx.outputParameter("eval_loss", evalLoss);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", trainLoss);
            metrics.put("eval_loss", evalLoss);
            metrics.put("first_batch_loss", t.firstLoss);
            metrics.put("last_batch_loss", t.lastLosses / t.lastCount);
            metrics.put("grad_norm_last", t.lastGradNorm);
            metrics.put("train_sequences", (double) train.size());
            metrics.put("eval_sequences", (double) eval.size());
            metrics.put("truncated_sequences", (double) corpus.truncated());
            metrics.put("trained_tokens", (double) t.tokens);
            metrics.put("parameters", (double) model.parameters().count());
            ctx.metrics(metrics);
            ctx.log().printf(Locale.ROOT, "sft: %d steps, loss %.4f → %.4f (train), eval %.4f nats/token%n",
                    s.steps(), t.firstLoss, trainLoss, evalLoss);
        }
    }

    /** Running numbers of the training loop, for the metrics. */
    private static final class Training {
        double firstLoss = Double.NaN;
        double lastLosses;
        int lastCount;
        double lastGradNorm;
        long tokens;
    }

    private static Training train(StepContext ctx, SftSettings s, CausalLM model, List<int[]> train, int pad) {
        Map<String, NDArray> params = model.parameters().asMap();
        model.parameters().requireGradients();
        BatchSampler batches = new BatchSampler(indices(train.size()), s.batchSize(), s.seed() + 2);
        // The last tenth of the steps: a less noisy "final training loss" than one batch.
        int lastFrom = s.steps() - Math.max(1, s.steps() / 10);
        Training t = new Training();
        Progress progress = ctx.progress("training", s.steps());
        try (ScheduledAdamW adam = ScheduledAdamW.withDefaults(model.parameters().manager(), s.weightDecay())) {
            for (int step = 0; step < s.steps(); step++) {
                List<int[]> rows = pick(train, batches.next());
                PaddedBatch b = PaddedBatch.rightPadded(rows, pad);
                double loss;
                try (NDManager m = model.parameters().manager().newSubManager();
                        GradientCollector gc = Engine.getEngine(ENGINE).newGradientCollector()) {
                    NextTokenLoss.Sum sum = NextTokenLoss.of(model, b.ids(m), b.mask(m));
                    NDArray mean = sum.mean();
                    loss = mean.getFloat();
                    Guards.requireFinite("training loss", loss, step + 1);
                    gc.backward(mean);
                    t.tokens += (long) sum.tokens().getFloat();
                }
                // With no clipping asked for, the norm is still measured: a non-finite gradient must stop the step.
                double norm = AdamW.clipGradientNorm(params, s.maxGradNorm() > 0 ? s.maxGradNorm() : Double.POSITIVE_INFINITY);
                Guards.requireFinite("gradient norm", norm, step + 1);
                adam.step(params, s.schedule().at(step));
                if (step == 0) {
                    t.firstLoss = loss;
                }
                if (step >= lastFrom) {
                    t.lastLosses += loss;
                    t.lastCount++;
                }
                t.lastGradNorm = norm;
                progress.advance(1, String.format(Locale.ROOT, "loss %.4f", loss));
            }
        }
        return t;
    }

    private static ObjectNode configJson(StartingModel start, SpecialTokens special) {
        ObjectNode json = start.configJson();
        special.bos().ifPresent(id -> json.put("bos_token_id", id));
        special.eos().ifPresent(id -> json.put("eos_token_id", id));
        special.pad().ifPresent(id -> json.put("pad_token_id", id));
        return json;
    }

    /** The starting policy's generation settings (if any), with the special ids this step resolved. */
    private static GenerationConfig generationConfig(StartingModel start, SpecialTokens special) {
        ObjectNode json = start.generationConfig().map(GenerationConfig::json).orElseGet(ModelConfig.JSON::createObjectNode);
        json.remove("_from_model_config");
        special.bos().ifPresent(id -> json.put("bos_token_id", id));
        special.eos().ifPresent(id -> json.put("eos_token_id", id));
        json.put("pad_token_id", special.padOrEos());
        return GenerationConfig.parse(json, "generation_config.json of the trained policy");
    }

    private static int[] indices(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static List<int[]> pick(List<int[]> all, int[] rows) {
        return java.util.Arrays.stream(rows).mapToObj(all::get).toList();
    }
}
