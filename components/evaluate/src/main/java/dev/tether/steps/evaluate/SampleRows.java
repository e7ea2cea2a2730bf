package dev.tether.steps.evaluate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.steps.evaluate.artifact.SampleRow;
import java.util.ArrayList;
import java.util.List;

/** samples.jsonl: every sampled response with its text and its scores. */
final class SampleRows {
    private SampleRows() {}

    /** @param tokenizer null when the policy has none: the response is then shown as its ids */
    static List<SampleRow> of(RolloutBatch r, List<PromptsFile.Line> lines, HuggingFaceTokenizer tokenizer, float[] proxy,
            double[] gold, KlSummary kl, float[] entropy) {
        List<SampleRow> rows = new ArrayList<>();
        int width = r.responseLength();
        for (int b = 0; b < r.batch(); b++) {
            int[] resp = r.response(b);
            double ent = 0;
            for (int t = 0; t < resp.length; t++) {
                ent += entropy[b * width + t];
            }
            rows.add(new SampleRow(r.promptIndex()[b], lines.get(r.promptIndex()[b]).text(), decode(tokenizer, resp), resp, proxy[b],
                    gold == null ? null : gold[b], kl.perSampleK1()[b], kl.perSampleK3()[b], resp.length == 0 ? 0 : ent / resp.length, resp.length));
        }
        return rows;
    }

    private static String decode(HuggingFaceTokenizer tokenizer, int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        if (tokenizer != null) {
            return tokenizer.decode(l, true);
        }
        StringBuilder s = new StringBuilder("ids:");
        for (int id : ids) {
            s.append(' ').append(id);
        }
        return s.toString();
    }

}
