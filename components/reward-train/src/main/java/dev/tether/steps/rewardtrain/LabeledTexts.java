package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.steps.sft.data.JsonLines;
import dev.tether.steps.sft.data.LineTokens;
import dev.tether.steps.sft.data.PaddedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled texts ({@code text.jsonl} lines {@code {"text": ..., "label": 1}}, or {@code "ids"}
 * instead of text; label 0/1 or false/true), trained with the logistic loss: the score is the
 * log-odds that the text is good.
 */
final class LabeledTexts implements Objective {
    static final String FILE_NAME = "text.jsonl";
    static final String EXPECTED = "{\"text\": ..., \"label\": 0 or 1} (or \"ids\" instead of \"text\")";

    private final List<int[]> texts;
    private final float[] labels;

    LabeledTexts(List<int[]> texts, float[] labels) {
        this.texts = List.copyOf(texts);
        this.labels = labels.clone();
    }

    static LabeledTexts read(Path file, LineTokens tokens, int maxLength) {
        List<JsonLines.Line> lines = JsonLines.read(file, EXPECTED);
        List<int[]> texts = new ArrayList<>();
        float[] labels = new float[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            JsonLines.Line line = lines.get(i);
            texts.add(Sequences.checkedLength(line, "text", tokens.sequence(line, "ids", "text", true, true), maxLength));
            labels[i] = label(line);
        }
        return new LabeledTexts(texts, labels);
    }

    private static float label(JsonLines.Line line) {
        JsonNode v = line.record().get("label");
        if (v != null && v.isBoolean()) {
            return v.asBoolean() ? 1 : 0;
        }
        if (v != null && v.isNumber() && (v.asDouble() == 0 || v.asDouble() == 1)) {
            return (float) v.asDouble();
        }
        throw line.error("\"label\": expected 0 or 1 (or false/true), found " + (v == null ? "no such field" : v.toString()));
    }

    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public NDArray loss(RewardModel model, NDManager m, int[] rows, int padId) {
        PaddedBatch b = PaddedBatch.rightPadded(pick(rows), padId);
        return RewardLosses.logistic(model.scores(b.ids(m), b.mask(m)), m.create(labels(rows)));
    }

    @Override
    public Evaluation evaluate(RewardModel model, int[] rows, int batch, int padId, NDManager parent) {
        float[] s = Scoring.sequences(model, pick(rows), batch, padId, parent);
        float[] y = labels(rows);
        try (NDManager m = parent.newSubManager()) {
            return new Evaluation(RewardLosses.logistic(m.create(s), m.create(y)).getFloat(), Accuracy.labels(s, y));
        }
    }

    @Override
    public List<int[]> sequences(int[] rows) {
        return pick(rows);
    }

    private List<int[]> pick(int[] rows) {
        List<int[]> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(texts.get(r));
        }
        return out;
    }

    private float[] labels(int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }
}
