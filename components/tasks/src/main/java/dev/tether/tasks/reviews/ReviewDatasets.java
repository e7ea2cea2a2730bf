package dev.tether.tasks.reviews;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's data sets, each a pure function of a seed and a size, so a rerun writes the same
 * bytes. Each draws from its own stream of the seed ({@link SplitMix64#stream}), so the SFT
 * corpus does not change when the number of preference pairs does.
 */
public final class ReviewDatasets {

    public static final String SFT_FILE = "sft.jsonl";
    public static final String TRAIN_PROMPTS_FILE = "train_prompts.jsonl";
    public static final String EVAL_PROMPTS_FILE = "eval_prompts.jsonl";
    public static final String PREFERENCE_PAIRS_FILE = "preference_pairs.jsonl";

    /**
     * What {@link #writeAll} writes.
     *
     * @param seed the one seed every file derives from
     * @param sftSentences sentences in the SFT corpus
     * @param trainPrompts rows of the training prompts (the 16 nouns in turn)
     * @param evalPrompts rows of the evaluation prompts (the 4 held-out nouns in turn)
     * @param preferencePairs pairs for the proxy reward model
     */
    public record Spec(long seed, int sftSentences, int trainPrompts, int evalPrompts,
            int preferencePairs) {

        /**
         * The recipe's sizes: 64 rollouts per iteration, 256 evaluation samples, 1000 pairs. The
         * recipe pretrains on fresh sentences (3000 steps × 128); a step can draw those from
         * {@link ReviewGenerator} directly, the file holds 10 000 for inspection and small runs.
         */
        public static Spec recipe(long seed) {
            return new Spec(seed, 10_000, 64, 256, 1000);
        }

        public Spec {
            for (int n : new int[] {sftSentences, trainPrompts, evalPrompts, preferencePairs}) {
                if (n < 0) {
                    throw new IllegalArgumentException("data set sizes: expected ≥ 0, got " + this);
                }
            }
        }
    }

    private ReviewDatasets() {}

    /** Writes the four JSONL files into {@code dir} (which must exist). */
    public static void writeAll(Path dir, Spec spec) {
        JsonLines.write(dir.resolve(SFT_FILE), sftCorpus(spec.sftSentences(), spec.seed()));
        JsonLines.write(dir.resolve(TRAIN_PROMPTS_FILE),
                prompts(ReviewPrompts.TRAIN_NOUNS, spec.trainPrompts()));
        JsonLines.write(dir.resolve(EVAL_PROMPTS_FILE),
                prompts(ReviewPrompts.EVAL_NOUNS, spec.evalPrompts()));
        JsonLines.write(dir.resolve(PREFERENCE_PAIRS_FILE),
                preferencePairs(spec.preferencePairs(), GeneratorConfig.PREFERENCE_PAIRS,
                        spec.seed()));
    }

    /** {@code n} sentences of the base language (all 20 nouns), stream "sft". */
    public static List<SftRow> sftCorpus(int n, long seed) {
        ReviewGenerator generator =
                new ReviewGenerator(GeneratorConfig.RECIPE, SplitMix64.stream(seed, "sft"));
        List<SftRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Review review = generator.next();
            int[] ids = review.tokens();
            rows.add(new SftRow(ReviewTokenizer.decode(Arrays.copyOfRange(ids, 1, 3), true),
                    ReviewTokenizer.decode(Arrays.copyOfRange(ids, 3, ids.length), true),
                    review.text(), ids, GoldReward.DEFAULT.scoreSentence(ids)));
        }
        return rows;
    }

    /**
     * {@code count} prompt rows cycling through {@code nouns}: balanced over nouns whenever count
     * is a multiple of their number (64 = 16 × 4, 256 = 4 × 64), with no sampling noise.
     */
    public static List<PromptRow> prompts(List<String> nouns, int count) {
        List<PromptRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(PromptRow.of(nouns.get(i % nouns.size())));
        }
        return rows;
    }

    /**
     * {@code n} pairs of responses to a training prompt (noun uniform over the 16), both drawn
     * with {@code config}, ordered by gold; pairs of equal gold are drawn again (they carry no
     * preference). Stream "preference-pairs".
     */
    public static List<PreferencePair> preferencePairs(int n, GeneratorConfig config, long seed) {
        SplitMix64 rng = SplitMix64.stream(seed, "preference-pairs");
        ReviewGenerator generator = new ReviewGenerator(config, rng);
        List<PreferencePair> pairs = new ArrayList<>(n);
        while (pairs.size() < n) {
            String noun = ReviewPrompts.TRAIN_NOUNS.get(rng.nextInt(ReviewPrompts.TRAIN_NOUNS.size()));
            int nounId = ReviewVocab.noun(noun);
            int[] a = generator.next(nounId).tokens();
            int[] b = generator.next(nounId).tokens();
            double goldA = GoldReward.DEFAULT.scoreSentence(a);
            double goldB = GoldReward.DEFAULT.scoreSentence(b);
            if (goldA == goldB) {
                continue;
            }
            int[] chosen = goldA > goldB ? a : b;
            int[] rejected = goldA > goldB ? b : a;
            pairs.add(new PreferencePair(ReviewPrompts.text(noun), ReviewPrompts.ids(noun),
                    responseText(chosen), response(chosen), Math.max(goldA, goldB),
                    responseText(rejected), response(rejected), Math.min(goldA, goldB)));
        }
        return pairs;
    }

    // A sentence's response: everything after [BOS, the, NOUN], EOS included.
    private static int[] response(int[] sentence) {
        return Arrays.copyOfRange(sentence, 3, sentence.length);
    }

    private static String responseText(int[] sentence) {
        return ReviewTokenizer.decode(response(sentence), true);
    }
}
