package dev.tether.steps.rewardtrain;

import dev.tether.steps.sft.data.JsonLines;

/** Small operations on token sequences read from JSONL. */
final class Sequences {
    private Sequences() {}

    static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A reward model reads the whole sequence (its score sits on the last token), so a longer one is refused, not cut. */
    static int[] checkedLength(JsonLines.Line line, String what, int[] ids, int maxLength) {
        if (ids.length > maxLength) {
            throw line.error(what + ": " + ids.length + " tokens, more than the model's " + maxLength + " positions");
        }
        return ids;
    }
}
