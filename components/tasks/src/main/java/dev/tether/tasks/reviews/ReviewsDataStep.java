package dev.tether.tasks.reviews;

import static dev.tether.step.ParameterSpec.optional;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.Schemas;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.util.List;

/**
 * The demo's data, made from nothing but a seed: the review language's tokenizer, an SFT corpus,
 * training and held-out prompts, and the preference pairs the proxy reward model learns from (without
 * negation by default, which is the blind spot the policy will find).
 */
public final class ReviewsDataStep implements Step {
    /** Same as the sft step's tokenizer artifact schema. */
    public static final String TOKENIZER_SCHEMA = "tether.tokenizer";
    public static final String TEXT_FILE = "text.jsonl";
    public static final String PREFERENCES_FILE = "preferences.jsonl";

    public static final StepDefinition DEFINITION = StepDefinition.builder("reviews-data")
            .description("The demo task's data: a synthetic review language with a known gold reward.")
            .output(ArtifactPort.of("tokenizer", TOKENIZER_SCHEMA, ArtifactKind.ARTIFACT, "tokenizer.json of the 65-token language."))
            .output(ArtifactPort.of("sft_text", Schemas.TEXT, ArtifactKind.DATASET, "Sentences for supervised training."))
            .output(ArtifactPort.of("train_prompts", Schemas.PROMPTS, ArtifactKind.DATASET, "Prompts \"the NOUN\" over the 16 training nouns."))
            .output(ArtifactPort.of("eval_prompts", Schemas.PROMPTS, ArtifactKind.DATASET, "Prompts over the 4 held-out nouns."))
            .output(ArtifactPort.of("preferences", Schemas.PREFERENCES, ArtifactKind.DATASET, "Pairs ordered by gold, without negation (by default)."))
            .parameter(optional("seed", ParamType.INT, "0", "Every file derives from it."))
            .parameter(optional("sft_sentences", ParamType.INT, "10000", "Sentences in the SFT corpus."))
            .parameter(optional("train_prompts_count", ParamType.INT, "64", "Rows of training prompts (rollouts per iteration)."))
            .parameter(optional("eval_prompts_count", ParamType.INT, "256", "Rows of held-out prompts (evaluation samples)."))
            .parameter(optional("preference_pairs", ParamType.INT, "1000", "Pairs for the proxy reward model."))
            .parameter(optional("preference_negation_p", ParamType.DOUBLE, Double.toString(GeneratorConfig.PREFERENCE_PAIRS.negationP()),
                    "Per clause, how often the preference pairs use \"not\" (the base language: 0.25). At 0 the proxy never sees "
                            + "\"not\" and gives it no weight: blind to negation, not biased for or against it by chance."))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) {
        long seed = ctx.seed();
        int sft = count(ctx, "sft_sentences");
        int train = count(ctx, "train_prompts_count");
        int eval = count(ctx, "eval_prompts_count");
        int pairs = count(ctx, "preference_pairs");
        double negation = ctx.number("preference_negation_p");
        if (!(negation >= 0 && negation <= 1)) {
            throw new IllegalArgumentException("preference_negation_p: expected a probability in [0, 1], got " + negation);
        }
        GeneratorConfig preferenceLanguage = GeneratorConfig.PREFERENCE_PAIRS.withNegationP(negation);
        try (ArtifactWriter w = ctx.writer("tokenizer")) {
            HfTokenizerFiles.write(w.dir());
            w.commit();
        }
        write(ctx, "sft_text", TEXT_FILE, ReviewDatasets.sftCorpus(sft, seed));
        write(ctx, "train_prompts", PromptsFile.FILE_NAME, ReviewDatasets.prompts(ReviewPrompts.TRAIN_NOUNS, train));
        write(ctx, "eval_prompts", PromptsFile.FILE_NAME, ReviewDatasets.prompts(ReviewPrompts.EVAL_NOUNS, eval));
        write(ctx, "preferences", PREFERENCES_FILE, ReviewDatasets.preferencePairs(pairs, preferenceLanguage, seed));
    }

    private static void write(StepContext ctx, String output, String file, List<?> rows) {
        try (ArtifactWriter w = ctx.writer(output)) {
            JsonLines.write(w.dir().resolve(file), rows);
            w.commit();
        }
    }

    private static int count(StepContext ctx, String name) {
        long v = ctx.integer(name);
        if (v < 1 || v > 10_000_000) {
            throw new IllegalArgumentException(name + ": expected between 1 and 10000000, got " + v);
        }
        return (int) v;
    }
}
