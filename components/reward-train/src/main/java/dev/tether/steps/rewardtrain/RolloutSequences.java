package dev.tether.steps.rewardtrain;

import dev.tether.core.formats.RolloutBatch;

/**
 * A rollout's rows as the reward step feeds them to the reward model: the left-padded query, then
 * the right-padded response, one mask over both (so padding sits in the middle of a row as well as
 * at its ends). Scoring them the same way here is what makes normalisation statistics computed in
 * training hold for the scores the reward step produces.
 */
record RolloutSequences(int rows, int length, long[] ids, long[] mask) {

    static RolloutSequences of(RolloutBatch r) {
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
        return new RolloutSequences(r.batch(), t, ids, mask);
    }
}
