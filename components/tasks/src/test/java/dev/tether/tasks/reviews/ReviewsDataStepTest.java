package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.Schemas;
import dev.tether.step.StepCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewsDataStepTest {
    @TempDir
    Path tmp;

    private int run(String... args) {
        return StepCli.execute(new ReviewsDataStep(), args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    private String[] args(Path out, String seed) {
        return new String[] {"--tokenizer", out.resolve("tok").toString(), "--sft_text", out.resolve("sft").toString(),
            "--train_prompts", out.resolve("train").toString(), "--eval_prompts", out.resolve("eval").toString(),
            "--preferences", out.resolve("prefs").toString(), "--seed", seed, "--sft_sentences", "50", "--preference_pairs", "40"};
    }

    @Test
    void writesEveryDatasetAsAVerifiedArtifactDeterministically() throws Exception {
        assertThat(run(args(tmp.resolve("a"), "3"))).isZero();
        assertThat(run(args(tmp.resolve("b"), "3"))).isZero();
        List<PromptsFile.Line> evalPrompts = PromptsFile.read(
                ArtifactReader.open(tmp.resolve("a/eval"), Schemas.PROMPTS, 1).file(PromptsFile.FILE_NAME), "prompt");
        assertThat(evalPrompts).hasSize(256);
        assertThat(evalPrompts.get(0).text()).isEqualTo("the coffee");
        assertThat(evalPrompts.get(0).record().get("prompt_ids").toString()).isEqualTo("[1,3,31]");
        assertThat(Files.readAllLines(tmp.resolve("a/sft/text.jsonl"))).hasSize(50);
        assertThat(Files.readAllLines(tmp.resolve("a/prefs/preferences.jsonl"))).hasSize(40);
        assertThat(tmp.resolve("a/tok/tokenizer.json")).exists();
        for (String o : new String[] {"tok", "sft", "train", "eval", "prefs"}) {
            assertThat(Files.readAllBytes(tmp.resolve("b/" + o + "/manifest.json"))).isEqualTo(Files.readAllBytes(tmp.resolve("a/" + o + "/manifest.json")));
        }
        assertThat(run(args(tmp.resolve("c"), "4"))).isZero();
        assertThat(Files.readString(tmp.resolve("c/sft/text.jsonl"))).isNotEqualTo(Files.readString(tmp.resolve("a/sft/text.jsonl")));
    }

    @Test
    void thePreferencesNegationIsAParameterAndAnImpossibleOneIsRefusedByName() throws Exception {
        List<String> withNot = new java.util.ArrayList<>(List.of(args(tmp.resolve("n"), "3")));
        withNot.addAll(List.of("--preference_negation_p", "0.5"));
        assertThat(run(withNot.toArray(String[]::new))).isZero();
        assertThat(Files.readString(tmp.resolve("n/prefs/preferences.jsonl"))).contains(" not ");
        assertThat(run(args(tmp.resolve("z"), "3"))).isZero();
        assertThat(Files.readString(tmp.resolve("z/prefs/preferences.jsonl"))).doesNotContain(" not ");

        List<String> bad = new java.util.ArrayList<>(List.of(args(tmp.resolve("bad"), "3")));
        bad.addAll(List.of("--preference_negation_p", "1.5"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(new ReviewsDataStep(), bad.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("preference_negation_p: expected a probability in [0, 1], got 1.5");
        assertThat(tmp.resolve("bad")).doesNotExist();
    }
}
