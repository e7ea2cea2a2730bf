package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewDatasetsTest {

    @TempDir
    Path tmp;

    @Test
    void sftRowsAreConsistentSentences() {
        List<SftRow> rows = ReviewDatasets.sftCorpus(2_000, 7);
        assertThat(rows).hasSize(2_000);
        int twoClauses = 0;
        for (SftRow row : rows) {
            assertThat(row.text()).isEqualTo(row.prompt() + " " + row.completion());
            assertThat(row.prompt()).matches("the \\w+");
            assertThat(ReviewTokenizer.decode(row.ids(), true)).isEqualTo(row.text());
            // The ids are the tokenizer's ids plus the EOS it never adds.
            int[] encoded = ReviewTokenizer.encode(row.text(), true);
            assertThat(Arrays.copyOf(row.ids(), row.ids().length - 1)).containsExactly(encoded);
            assertThat(row.ids()[row.ids().length - 1]).isEqualTo(ReviewVocab.EOS);
            assertThat(row.gold()).isEqualTo(GoldReward.DEFAULT.scoreSentence(row.ids()))
                    .isNotEqualTo(GoldReward.UNGRAMMATICAL);
            twoClauses += row.text().contains(" and ") || row.text().contains(" but ") ? 1 : 0;
        }
        assertThat(twoClauses).isBetween(900, 1_100);
    }

    @Test
    void promptsCycleThroughTheirNouns() {
        List<PromptRow> train = ReviewDatasets.prompts(ReviewPrompts.TRAIN_NOUNS, 64);
        Map<String, Integer> counts = new HashMap<>();
        for (PromptRow row : train) {
            counts.merge(row.noun(), 1, Integer::sum);
            assertThat(row.prompt()).isEqualTo("the " + row.noun());
            assertThat(row.promptIds()).containsExactly(1, 3, ReviewVocab.noun(row.noun()));
        }
        assertThat(counts).hasSize(16).allSatisfy((noun, n) -> assertThat(n).isEqualTo(4));
        assertThat(counts).doesNotContainKeys("coffee", "pizza", "show", "game");

        List<PromptRow> eval = ReviewDatasets.prompts(ReviewPrompts.EVAL_NOUNS, 256);
        assertThat(eval).extracting(PromptRow::noun).containsOnly("coffee", "pizza", "show", "game");
        assertThat(eval.stream().filter(r -> r.noun().equals("show")).count()).isEqualTo(64);
        assertThat(ReviewPrompts.TRAIN_NOUNS).hasSize(16).doesNotContainAnyElementsOf(ReviewPrompts.EVAL_NOUNS);
    }

    @Test
    void preferencePairsAreOrderedByGoldWithoutNegation() {
        List<PreferencePair> pairs =
                ReviewDatasets.preferencePairs(1_000, GeneratorConfig.PREFERENCE_PAIRS, 5);
        assertThat(pairs).hasSize(1_000);
        int clauses = 0;
        int negated = 0;
        for (PreferencePair p : pairs) {
            // Stored golds are the gold of prompt + response, and strictly ordered (no ties).
            assertThat(p.chosenGold())
                    .isEqualTo(GoldReward.DEFAULT.scoreResponse(p.promptIds(), p.chosenIds()))
                    .isGreaterThan(p.rejectedGold());
            assertThat(p.rejectedGold())
                    .isEqualTo(GoldReward.DEFAULT.scoreResponse(p.promptIds(), p.rejectedIds()));
            assertThat(ReviewPrompts.TRAIN_NOUNS).contains(p.prompt().substring(4));
            assertThat(p.promptIds()).containsExactly(ReviewTokenizer.encode(p.prompt(), true));
            assertThat(ReviewTokenizer.decode(p.chosenIds(), true)).isEqualTo(p.chosen());
            assertThat(p.chosenIds()[p.chosenIds().length - 1]).isEqualTo(ReviewVocab.EOS);
            for (int[] response : List.of(p.chosenIds(), p.rejectedIds())) {
                for (int t : response) {
                    negated += t == ReviewVocab.NOT ? 1 : 0;
                    clauses += ReviewVocab.isAdjective(t) ? 1 : 0;
                }
            }
        }
        // The proxy's data has no negation: "not" gets no weight (GeneratorConfig.PREFERENCE_PAIRS).
        assertThat(clauses).isGreaterThan(1000);
        assertThat(negated).isZero();
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        ReviewDatasets.Spec spec = new ReviewDatasets.Spec(3, 500, 64, 256, 200);
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Path c = Files.createDirectory(tmp.resolve("c"));
        ReviewDatasets.writeAll(a, spec);
        ReviewDatasets.writeAll(b, spec);
        ReviewDatasets.writeAll(c, new ReviewDatasets.Spec(4, 500, 64, 256, 200));
        List<String> files = List.of(ReviewDatasets.SFT_FILE, ReviewDatasets.TRAIN_PROMPTS_FILE,
                ReviewDatasets.EVAL_PROMPTS_FILE, ReviewDatasets.PREFERENCE_PAIRS_FILE);
        for (String f : files) {
            assertThat(sha256(a.resolve(f))).as(f).isEqualTo(sha256(b.resolve(f)));
        }
        // Another seed: other sentences and pairs; the prompts do not depend on the seed.
        assertThat(sha256(c.resolve(ReviewDatasets.SFT_FILE)))
                .isNotEqualTo(sha256(a.resolve(ReviewDatasets.SFT_FILE)));
        assertThat(sha256(c.resolve(ReviewDatasets.PREFERENCE_PAIRS_FILE)))
                .isNotEqualTo(sha256(a.resolve(ReviewDatasets.PREFERENCE_PAIRS_FILE)));
        assertThat(sha256(c.resolve(ReviewDatasets.TRAIN_PROMPTS_FILE)))
                .isEqualTo(sha256(a.resolve(ReviewDatasets.TRAIN_PROMPTS_FILE)));

        // The lines: one compact object each, keys sorted.
        List<String> train = Files.readAllLines(a.resolve(ReviewDatasets.TRAIN_PROMPTS_FILE));
        assertThat(train).hasSize(64);
        assertThat(train.get(0)).isEqualTo("{\"noun\":\"food\",\"prompt\":\"the food\",\"prompt_ids\":[1,3,15]}");
        assertThat(Files.readAllLines(a.resolve(ReviewDatasets.EVAL_PROMPTS_FILE)).get(1))
                .isEqualTo("{\"noun\":\"pizza\",\"prompt\":\"the pizza\",\"prompt_ids\":[1,3,32]}");
        assertThat(Files.readAllLines(a.resolve(ReviewDatasets.SFT_FILE)).get(0))
                .startsWith("{\"completion\":\"").contains("\"gold\":", "\"ids\":[1,3,");
        assertThat(Files.readAllLines(a.resolve(ReviewDatasets.PREFERENCE_PAIRS_FILE)).get(0))
                .startsWith("{\"chosen\":\"").contains("\"chosen_gold\":", "\"rejected_ids\":[");

        // And they read back as the rows that were written.
        List<SftRow> back = JsonLines.read(a.resolve(ReviewDatasets.SFT_FILE), SftRow.class);
        List<SftRow> rows = ReviewDatasets.sftCorpus(500, 3);
        assertThat(back).hasSize(500);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i).text()).isEqualTo(rows.get(i).text());
            assertThat(back.get(i).ids()).containsExactly(rows.get(i).ids());
            assertThat(back.get(i).gold()).isEqualTo(rows.get(i).gold());
        }
        List<PreferencePair> pairs = JsonLines.read(a.resolve(ReviewDatasets.PREFERENCE_PAIRS_FILE),
                PreferencePair.class);
        assertThat(pairs).hasSize(200);
        assertThat(pairs.get(0).chosenGold()).isGreaterThan(pairs.get(0).rejectedGold());
    }

    @Test
    void aBadLineIsNamedByFileAndNumber() throws Exception {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, "{\"noun\":\"food\",\"prompt\":\"the food\",\"prompt_ids\":[1,3,15]}\n"
                + "\n{\"noun\": oops}\n");
        assertThatThrownBy(() -> JsonLines.read(file, PromptRow.class))
                .isInstanceOf(ArtifactException.class)
                .hasMessageStartingWith(file + ":3: expected a PromptRow as JSON, found: ");
    }

    @Test
    void specRefusesNegativeSizes() {
        assertThatThrownBy(() -> new ReviewDatasets.Spec(1, -1, 64, 256, 1000))
                .hasMessageContaining("expected ≥ 0");
        assertThat(ReviewDatasets.Spec.recipe(9))
                .isEqualTo(new ReviewDatasets.Spec(9, 10_000, 64, 256, 1000));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
