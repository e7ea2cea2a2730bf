package dev.tether.steps.evaluate;

import dev.tether.core.formats.RolloutBatch;
import dev.tether.models.onnx.TokenBatch;

/** Query and response side by side, [B, P+N], the input an ONNX model (reward or reference) scores. */
final class TokenRows {
    private TokenRows() {}

    static TokenBatch of(RolloutBatch r) {
        int ql = r.queryLength();
        int rl = r.responseLength();
        int t = ql + rl;
        long[] ids = new long[r.batch() * t];
        long[] mask = new long[r.batch() * t];
        for (int b = 0; b < r.batch(); b++) {
            for (int j = 0; j < ql; j++) {
                ids[b * t + j] = r.queryIds()[b * ql + j];
                mask[b * t + j] = r.queryMask()[b * ql + j];
            }
            for (int j = 0; j < rl; j++) {
                ids[b * t + ql + j] = r.responseIds()[b * rl + j];
                mask[b * t + ql + j] = r.responseMask()[b * rl + j];
            }
        }
        return new TokenBatch(r.batch(), t, ids, mask);
    }
}
