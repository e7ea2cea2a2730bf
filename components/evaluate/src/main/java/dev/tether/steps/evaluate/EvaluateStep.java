package dev.tether.steps.evaluate;

import dev.tether.models.generate.PromptEncoder;
import static dev.tether.step.ParameterSpec.choice;
import static dev.tether.step.ParameterSpec.optional;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlUnit;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.generate.SamplingParams;
import dev.tether.models.nn.CausalLM;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import dev.tether.steps.evaluate.artifact.Evaluation;
import dev.tether.steps.evaluate.artifact.EvaluationArtifact;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.EvaluationSettings;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.artifact.SampleRow;
import dev.tether.steps.evaluate.report.Arm;
import dev.tether.steps.evaluate.report.Report;
import dev.tether.steps.reward.RewardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates a policy checkpoint on held-out prompts: samples responses, scores them with the proxy
 * reward model and, when one is given, a gold scorer (a second ONNX reward model or the demo task's
 * own), and measures KL to the frozen reference (k1 and k3, per sequence and per token), entropy,
 * distinct-1/2, repetition and length. Given an earlier evaluation as {@code history}, its points
 * are carried over, so evaluations of successive checkpoints build one over-optimization curve.
 * Writes evaluation.json, samples.jsonl and a report (HTML, Markdown, SVG charts).
 */
public final class EvaluateStep implements Step {
    static final String GOLD_NONE = "none";
    static final String GOLD_REVIEWS = "reviews";
    static final String GOLD_MODEL = "model";

    public static final StepDefinition DEFINITION = StepDefinition.builder("evaluate")
            .description("Evaluate a policy on held-out prompts: proxy and gold reward, KL to the reference, entropy, diversity; with a report.")
            .input(ArtifactPort.of("policy", Schemas.POLICY, ArtifactKind.MODEL, "The policy checkpoint to evaluate."))
            .input(ArtifactPort.of("prompts", Schemas.PROMPTS, ArtifactKind.DATASET, "Held-out prompts.jsonl: {\"prompt\": text} or {\"prompt_ids\": [...]} per line."))
            .input(ArtifactPort.of("reward_model", Schemas.REWARD_MODEL, ArtifactKind.MODEL, "The proxy: the reward model the policy was trained against."))
            .input(ArtifactPort.of("reference", Schemas.REFERENCE_MODEL, ArtifactKind.MODEL, "The reference as ONNX (model.onnx).").asOptional())
            .input(ArtifactPort.of("reference_policy", Schemas.POLICY, ArtifactKind.MODEL, "Or the reference as a policy checkpoint.").asOptional())
            .input(ArtifactPort.of("gold_model", Schemas.REWARD_MODEL, ArtifactKind.MODEL, "A second reward model standing in for the gold (or use gold_task).").asOptional())
            .input(ArtifactPort.of("history", EvaluationArtifact.SCHEMA, ArtifactKind.ARTIFACT, "An earlier evaluation (same prompts and proxy): its points are carried over.").asOptional())
            .output(ArtifactPort.of("evaluation", EvaluationArtifact.SCHEMA, ArtifactKind.ARTIFACT, "evaluation.json, samples.jsonl, report.html, report.md, charts/*.svg."))
            .parameter(optional("samples_per_prompt", ParamType.INT, "4", "Responses sampled per prompt."))
            .parameter(optional("max_new_tokens", ParamType.INT, "32", "Longest response, in tokens."))
            .parameter(optional("temperature", ParamType.DOUBLE, "1.0", "Sampling temperature; log-probs of policy and reference are taken at the same one."))
            .parameter(optional("seed", ParamType.INT, "0", "Sampling seed: the same seed, policy and prompts give the same samples."))
            .parameter(choice("gold_task", GOLD_NONE, "Score gold with a built-in task's own reward: none, or reviews (the demo task).", GOLD_NONE, GOLD_REVIEWS))
            .parameter(optional("label", ParamType.STRING, "policy", "The arm's name in reports, e.g. beta-0."))
            .parameter(choice("kl_estimator", "k3", "Estimator of the reported kl (both are in the metrics; k3 is never negative).", "k1", "k3"))
            .parameter(choice("kl_unit", KlUnit.KL_SEQ.id(), "Unit of the reported kl.", KlUnit.KL_SEQ.id(), KlUnit.KL_TOKEN.id()))
            .parameter(optional("batch_size", ParamType.INT, "64", "Prompts sampled and scored together."))
            .outputParameter("kl", ParamType.DOUBLE, "KL to the reference (kl_estimator, kl_unit).")
            .outputParameter("reward", ParamType.DOUBLE, "Mean proxy reward.")
            .optionalOutputParameter("gold_reward", ParamType.DOUBLE, "Mean gold reward, when a gold scorer is given.")
            .reportsMetrics()
            .htmlReport("report_html", "evaluation", Report.HTML_FILE)
            .markdownReport("report_md", "evaluation", Report.MARKDOWN_FILE)
            .resources(Resources.cpu("2", "2Gi"))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        int perPrompt = atLeastOne("samples_per_prompt", ctx.integer("samples_per_prompt"));
        int maxNew = atLeastOne("max_new_tokens", ctx.integer("max_new_tokens"));
        int batchSize = atLeastOne("batch_size", ctx.integer("batch_size"));
        double temperature = ctx.number("temperature");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature: expected a finite number > 0, got " + temperature);
        }
        String label = ctx.string("label").strip();
        if (label.isEmpty() || label.contains("\n")) {
            throw new IllegalArgumentException("label: expected a name like beta-0, got '" + ctx.string("label") + "'");
        }
        KlEstimator estimator = KlEstimator.parse("kl_estimator", ctx.string("kl_estimator"));
        KlUnit unit = KlUnit.parse(ctx.string("kl_unit"));
        Optional<ArtifactReader> goldModel = ctx.optionalInput("gold_model");
        String goldTask = ctx.string("gold_task");
        if (goldModel.isPresent() && !goldTask.equals(GOLD_NONE)) {
            throw new IllegalArgumentException("give one gold scorer: --gold_model or --gold_task " + goldTask + ", not both");
        }
        String gold = goldModel.isPresent() ? GOLD_MODEL : goldTask;

        ArtifactReader policyArtifact = ctx.input("policy");
        Path policyDir = policyArtifact.dir();
        String policyTokenizer = TokenizerDigest.of(policyDir);
        if (gold.equals(GOLD_REVIEWS)) {
            ReviewsGold.requireReviewTokenizer(policyDir);
        }
        ArtifactReader rewardModel = ctx.input("reward_model");
        RewardConfig proxyConfig = RewardModelScores.check("reward_model", rewardModel, policyTokenizer);
        Optional<RewardConfig> goldConfig = goldModel.map(g -> RewardModelScores.check("gold_model", g, policyTokenizer));
        ArtifactReader reference = ctx.optionalInput("reference").orElse(null);
        ArtifactReader referencePolicy = ctx.optionalInput("reference_policy").orElse(null);
        ReferenceLogprobs.check(reference, referencePolicy, policyTokenizer);
        Optional<EvaluationArtifact> history = ctx.optionalInput("history").map(h -> checkedHistory(h, ctx, !gold.equals(GOLD_NONE)));
        Path promptsFile = ctx.input("prompts").file(PromptsFile.FILE_NAME);
        List<PromptsFile.Line> lines = PromptsFile.read(promptsFile, "prompt");
        TrainingLog training = TrainingLog.read(policyDir);

        try (NDManager nd = NDManager.newBaseManager();
                Checkpoint policy = PolicyArtifact.readPolicy(policyDir, nd);
                HuggingFaceTokenizer tokenizer = Files.exists(policyDir.resolve(CheckpointReader.TOKENIZER))
                        ? CheckpointReader.openTokenizer(policyDir, policy.model().config()) : null) {
            CausalLM model = policy.model();
            PromptEncoder encoder = new PromptEncoder(tokenizer, promptsFile, model.config().vocabSize());
            List<int[]> prompts = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                int[] ids = encoder.encode(lines.get(i));
                for (int k = 0; k < perPrompt; k++) {
                    prompts.add(ids);
                    index.add(i);
                }
            }
            int eos = eosId(policy, policyDir);
            SamplingParams params = SamplingParams.from(policy.generationConfig().orElseGet(() -> GenerationConfig.fromModel(model.config())), maxNew, ctx.seed())
                    .withGreedy(false).withTemperature((float) temperature).withTopK(0).withTopP(1.0).withStopTokens(Set.of(eos));

            PolicySamples samples = PolicySamples.sample(model, prompts, index.stream().mapToInt(Integer::intValue).toArray(), params, batchSize, nd,
                    ctx.progress("sampling and scoring", prompts.size()));
            RolloutBatch r = samples.batch();
            float[] ref = ReferenceLogprobs.score(reference, referencePolicy, r, params.temperature(), batchSize, nd);
            KlSummary kl = KlSummary.of(r.logprobs(), ref, r.responseMask(), r.batch(), r.responseLength(), nd);
            float[] proxy = RewardModelScores.score(rewardModel, proxyConfig, r, batchSize);
            double[] goldScores = switch (gold) {
                case GOLD_MODEL -> EvaluationMetrics.toDoubles(RewardModelScores.score(goldModel.get(), goldConfig.get(), r, batchSize));
                case GOLD_REVIEWS -> ReviewsGold.score(r);
                default -> null;
            };

            List<int[]> responses = new ArrayList<>();
            for (int b = 0; b < r.batch(); b++) {
                responses.add(r.response(b));
            }
            Map<String, Double> metrics = EvaluationMetrics.of(r, samples.entropy(), kl, proxy, goldScores, ResponseStats.of(responses, eos));
            if (gold.equals(GOLD_REVIEWS)) {
                metrics.put(Metric.GRAMMATICAL, ReviewsGold.grammaticalRate(r));
            }
            EvaluationSettings settings = new EvaluationSettings(lines.size(), perPrompt, maxNew, temperature, ctx.seed(), gold, estimator.id(), unit.id());
            EvaluationPoint self = new EvaluationPoint(label, training.iteration(), policyArtifact.digest(), metrics);
            List<EvaluationPoint> points = new ArrayList<>();
            // Re-evaluating a checkpoint that is already in the history replaces its point.
            history.ifPresent(h -> h.evaluation().points().stream()
                    .filter(p -> !(p.policy().equals(self.policy()) && p.label().equals(label))).forEach(points::add));
            points.add(self);
            Evaluation evaluation = new Evaluation(label, training.iteration(), policyArtifact.digest(), settings, metrics,
                    training.target().orElse(null), points, training.entries());
            List<SampleRow> rows = SampleRows.of(r, lines, tokenizer, proxy, goldScores, kl, samples.entropy());

            Report report = Report.build("tether evaluation: " + label + ", iteration " + training.iteration(),
                    subtitle(settings, r.batch()), List.of(Arm.of(evaluation, rows)), Optional.empty(), provenance(ctx, settings));
            try (ArtifactWriter w = ctx.writer("evaluation")) {
                w.writeJson(Evaluation.FILE_NAME, evaluation);
                w.writeJsonLines(Evaluation.SAMPLES_FILE_NAME, rows);
                report.write(w);
                w.commit();
            }
            ctx.outputParameter("kl", kl.of(estimator).in(unit));
            ctx.outputParameter("reward", metrics.get(Metric.REWARD));
            if (metrics.containsKey(Metric.GOLD)) {
                ctx.outputParameter("gold_reward", metrics.get(Metric.GOLD));
            }
            Map<String, Double> reported = new TreeMap<>(metrics);
            reported.put("iteration", (double) training.iteration());
            ctx.metrics(reported);
            ctx.log().printf(Locale.ROOT, "evaluate: %s iteration %d: proxy %.4f%s, %s %.4f, distinct-2 %.3f%n", label, training.iteration(),
                    metrics.get(Metric.REWARD), metrics.containsKey(Metric.GOLD) ? String.format(Locale.ROOT, ", gold %.4f", metrics.get(Metric.GOLD)) : "",
                    settings.klMetric(), metrics.get(settings.klMetric()), metrics.get(Metric.DISTINCT_2));
        }
    }

    /**
     * The history must be an evaluation of the same held-out prompts with the same proxy: otherwise
     * its points and ours are not on one curve. And if its points have gold, ours must too.
     */
    private static EvaluationArtifact checkedHistory(ArtifactReader h, StepContext ctx, boolean haveGold) {
        for (String input : List.of("prompts", "reward_model")) {
            String theirs = h.inputs().get(input);
            String ours = ctx.input(input).digest();
            if (!ours.equals(theirs)) {
                throw new ArtifactException("history " + h.dir() + ": it evaluated " + input + " " + theirs + " but this evaluation has " + ours
                        + "; points of one curve must share the held-out prompts and the proxy");
            }
        }
        EvaluationArtifact e = EvaluationArtifact.read(h);
        if (e.evaluation().hasGold() && !haveGold) {
            throw new IllegalArgumentException("history " + h.dir() + " has gold rewards but this evaluation has no gold scorer; give --gold_model or --gold_task "
                    + e.evaluation().settings().gold() + " so the curve goes on");
        }
        return e;
    }

    private static String subtitle(EvaluationSettings s, int samples) {
        return samples + " samples (" + s.numPrompts() + " held-out prompts × " + s.samplesPerPrompt() + "), temperature "
                + s.temperature() + ", at most " + s.maxNewTokens() + " new tokens, seed " + s.seed() + "; gold: "
                + (s.gold().equals(GOLD_NONE) ? "none given" : s.gold().equals(GOLD_REVIEWS) ? "the demo task's gold reward" : "a second reward model")
                + "; reported KL: " + s.klMetric() + ".";
    }

    private static Map<String, String> provenance(StepContext ctx, EvaluationSettings s) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String in : List.of("policy", "prompts", "reward_model", "reference", "reference_policy", "gold_model", "history")) {
            ctx.optionalInput(in).ifPresent(r -> p.put(in, r.digest()));
        }
        p.put("settings", "samples_per_prompt=" + s.samplesPerPrompt() + " max_new_tokens=" + s.maxNewTokens() + " temperature=" + s.temperature()
                + " seed=" + s.seed() + " gold=" + s.gold() + " kl=" + s.klMetric());
        return p;
    }

    private static int eosId(Checkpoint policy, Path dir) {
        Optional<GenerationConfig> g = policy.generationConfig();
        if (g.isPresent() && !g.get().eosTokenIds().isEmpty()) {
            return g.get().eosTokenIds().get(0);
        }
        return policy.model().config().eosTokenId().orElseThrow(() -> new ArtifactException(dir
                + ": no eos_token_id in generation_config.json or config.json (sampling needs one to stop, and length and diversity are measured up to it)"));
    }

    private static int atLeastOne(String name, long v) {
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected ≥ 1, got " + v);
        }
        return (int) v;
    }
}
