package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.tether.steps.sft.data.JsonLines;
import dev.tether.steps.sft.data.LineTokens;
import dev.tether.steps.sft.data.PaddedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Preference pairs ({@code preferences.jsonl}), trained Bradley–Terry. A line holds
 * {@code chosen} and {@code rejected} (text, or {@code chosen_ids} / {@code rejected_ids}) and
 * optionally the {@code prompt} (or {@code prompt_ids}) both answer, TRL's explicit-prompt format.
 * Each side is scored as prompt + response, as the reward step scores query + response. Encoded
 * text: the prompt gets the tokenizer's special tokens (BOS), a response EOS (append_eos), a
 * response without prompt both.
 */
final class PreferencePairs implements Objective {
    static final String FILE_NAME = "preferences.jsonl";
    static final String EXPECTED = "{\"prompt\"?: ..., \"chosen\": ..., \"rejected\": ...} (or \"prompt_ids\", \"chosen_ids\", \"rejected_ids\")";

    private final List<int[]> chosen;
    private final List<int[]> rejected;

    PreferencePairs(List<int[]> chosen, List<int[]> rejected) {
        this.chosen = List.copyOf(chosen);
        this.rejected = List.copyOf(rejected);
    }

    static PreferencePairs read(Path file, LineTokens tokens, int maxLength) {
        List<int[]> chosen = new ArrayList<>();
        List<int[]> rejected = new ArrayList<>();
        for (JsonLines.Line line : JsonLines.read(file, EXPECTED)) {
            boolean hasPrompt = LineTokens.has(line, "prompt_ids", "prompt");
            int[] prompt = hasPrompt ? tokens.sequence(line, "prompt_ids", "prompt", true, false) : new int[0];
            chosen.add(Sequences.checkedLength(line, "chosen", Sequences.concat(prompt,
                    tokens.sequence(line, "chosen_ids", "chosen", !hasPrompt, true)), maxLength));
            rejected.add(Sequences.checkedLength(line, "rejected", Sequences.concat(prompt,
                    tokens.sequence(line, "rejected_ids", "rejected", !hasPrompt, true)), maxLength));
        }
        return new PreferencePairs(chosen, rejected);
    }

    @Override
    public int size() {
        return chosen.size();
    }

    @Override
    public NDArray loss(RewardModel model, NDManager m, int[] rows, int padId) {
        // Both sides in one batch: one forward pass, chosen first.
        List<int[]> both = new ArrayList<>(pick(chosen, rows));
        both.addAll(pick(rejected, rows));
        PaddedBatch b = PaddedBatch.rightPadded(both, padId);
        NDArray scores = model.scores(b.ids(m), b.mask(m));
        return RewardLosses.bradleyTerry(scores.get(new NDIndex("0:{}", rows.length)), scores.get(new NDIndex("{}:", rows.length)));
    }

    @Override
    public Evaluation evaluate(RewardModel model, int[] rows, int batch, int padId, NDManager parent) {
        float[] c = Scoring.sequences(model, pick(chosen, rows), batch, padId, parent);
        float[] r = Scoring.sequences(model, pick(rejected, rows), batch, padId, parent);
        try (NDManager m = parent.newSubManager()) {
            return new Evaluation(RewardLosses.bradleyTerry(m.create(c), m.create(r)).getFloat(), Accuracy.pairs(c, r));
        }
    }

    @Override
    public List<int[]> sequences(int[] rows) {
        List<int[]> out = new ArrayList<>(pick(chosen, rows));
        out.addAll(pick(rejected, rows));
        return out;
    }

    private static List<int[]> pick(List<int[]> all, int[] rows) {
        List<int[]> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(all.get(r));
        }
        return out;
    }
}
